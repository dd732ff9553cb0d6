import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run to completion or to its timeout.
enum ChildProcess {
    /// How it ended.
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signal(Int32)
        case timedOut
        /// Killed for printing more than `outputLimit` bytes on standard output.
        case printedTooMuch
    }

    struct Result {
        var ending: Ending
        /// Standard output, at most `outputLimit` bytes.
        var stdout: Data
        /// The end of standard error, at most `errorTail` bytes.
        var stderr: Data
        /// Whether standard error was longer than `stderr`.
        var stderrCut: Bool
    }

    /// The most a command may print on standard output (its verdict is one short JSON object):
    /// past it, the command is killed. Reading everything it printed let a runaway grader take
    /// the tool's memory (1 GB printed, 6 GB held).
    static let outputLimit = 1_000_000

    /// How much of the end of standard error is kept while reading: a reason shows its last 300
    /// characters, and a character takes at most 4 bytes.
    static let errorTail = 4096

    /// Writing to a pipe whose reader has exited raises SIGPIPE, which would kill the tool; the
    /// write fails with EPIPE instead once it is ignored.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The variables of `environment` named in `names` or starting with one of `prefixes`: what
    /// a program Tradeoff runs for itself (git, a browser) is given, so that no API key reaches
    /// it or what it runs in turn.
    static func environment(keeping names: Set<String>, prefixes: [String],
                            from environment: [String: String]) -> [String: String] {
        environment.filter { name, _ in names.contains(name) || prefixes.contains { name.hasPrefix($0) } }
    }

    /// Runs `argv` in `directory` with `input` on standard input.
    ///
    /// - Parameters:
    ///   - hidden: Variables of the environment the child does not get.
    ///   - environment: The environment the child gets (and whose `PATH` finds the program);
    ///     nil for this process's.
    /// - Returns: How it ended and what it printed, or why it could not start (`not found on PATH`).
    static func run(argv: [String], directory: String, input: Data, timeout: Double,
                    hiding hidden: [String], environment: [String: String]? = nil) -> Swift.Result<Result, StartProblem> {
        _ = ignoreBrokenPipes
        guard let program = argv.first else { return .failure(StartProblem("has no program")) }
        var environment = environment ?? ProcessInfo.processInfo.environment
        guard let executable = resolve(program, in: directory, path: environment["PATH"]) else {
            return .failure(StartProblem(program.contains("/") ? "does not exist or is not executable (relative to \(directory))"
                                         : "not found on PATH"))
        }
        for name in hidden { environment[name] = nil }

        // Close-on-exec from the start: a command spawned at the same moment on another thread
        // must not inherit these ends, or this command's output would not end until that one's does.
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard makePipe(&stdinPipe), makePipe(&stdoutPipe), makePipe(&stderrPipe) else {
            return .failure(StartProblem("could not start: no pipes (\(String(cString: strerror(errno))))"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so a timeout can kill everything it started.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        guard addChangeDirectory(&actions, directory) == 0 else {
            for fd in stdinPipe + stdoutPipe + stderrPipe { close(fd) }
            return .failure(StartProblem("could not start: cannot run it in \(directory) on this system"))
        }
        var pid: pid_t = 0
        let status: Int32 = withCStrings([executable] + argv.dropFirst()) { arguments in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { variables in
                // A script written a moment ago is "busy" while a process forked meanwhile (by
                // another thread, between its fork and its exec) still holds it open for
                // writing: tried again for up to about half a second. Seen in the tests, where
                // scripts are written and run side by side.
                var status = ETXTBSY
                for attempt in 0..<Self.busyAttempts where status == ETXTBSY {
                    if attempt > 0 { usleep(useconds_t(5_000 * attempt)) }
                    status = spawning.withLock { _ in posix_spawn(&pid, executable, &actions, &attributes, arguments, variables) }
                }
                return status
            }
        }
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            for fd in [stdinPipe[1], stdoutPipe[0], stderrPipe[0]] { close(fd) }
            return .failure(StartProblem("could not start in \(directory): \(String(cString: strerror(status)))"))
        }

        // Blocking reads and writes get threads of their own: on Dispatch's pool they could take
        // every worker (one per core) and stall the rest of the run until it grows.
        let group = DispatchGroup()
        let output = Collected(limit: outputLimit, keeping: .head), errors = Collected(limit: errorTail, keeping: .tail)
        for (fd, sink) in [(stdoutPipe[0], output), (stderrPipe[0], errors)] {
            group.enter()
            Thread.detachNewThread {
                sink.drain(fd)
                close(fd)
                group.leave()
            }
        }
        let writer = FileHandle(fileDescriptor: stdinPipe[1], closeOnDealloc: true)
        Thread.detachNewThread {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }

        let deadline = Date().addingTimeInterval(timeout)
        var waitStatus: Int32 = 0
        var ending: Ending?
        while ending == nil {
            let result = waitpid(pid, &waitStatus, WNOHANG)
            if result == pid {
                let signal = waitStatus & 0x7f
                ending = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signal(signal)
            } else if result < 0 && errno != EINTR {
                ending = .exited(-1)
            } else if output.overflowed {
                // Not reaped yet, so its process group id cannot have been reused.
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &waitStatus, 0)
                ending = .printedTooMuch
            } else if Date() >= deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &waitStatus, 0)
                ending = .timedOut
            } else {
                usleep(2_000)
            }
        }
        // The group is dead or done; a grandchild that left it could still hold the pipes, so
        // do not wait for them forever.
        _ = group.wait(timeout: .now() + 2)
        // It may have printed too much and exited before the loop saw it.
        if output.overflowed { ending = .printedTooMuch }
        let (stdout, _) = output.get(), (stderr, stderrCut) = errors.get()
        return .success(Result(ending: ending!, stdout: stdout, stderr: stderr, stderrCut: stderrCut))
    }

    /// Why a command could not be started, following its name in messages.
    struct StartProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A pipe whose ends are closed on exec (the child gets its copies through `dup2`). Made
    /// under `spawning`, so no spawn on another thread can come between `pipe` and `fcntl`.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        spawning.withLock { _ in
            guard pipe(&fds) == 0 else { return false }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        }
    }

    /// Tries at starting a program that is busy being written (`ETXTBSY`).
    static let busyAttempts = 15

    /// Held while pipes are made and while a child is spawned.
    private static let spawning = Mutex(())

    /// The executable `program` names: a path (relative to `directory`) or a name on `path`
    /// (this process's `PATH` when nil).
    static func resolve(_ program: String, in directory: String, path: String? = nil) -> String? {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (directory as NSString).appendingPathComponent(program)
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let path = path ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Makes the child start in `directory`: `posix_spawn_file_actions_addchdir_np` (glibc 2.29+,
    /// macOS 10.15+). Changing the tool's own directory instead would move every relative path
    /// other threads are using.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) -> Int32 {
        #if canImport(Glibc)
        guard let addChdir = glibcAddChdir else { return ENOSYS }
        return addChdir(&actions, directory)
        #else
        return posix_spawn_file_actions_addchdir_np(&actions, directory)
        #endif
    }

    #if canImport(Glibc)
    /// Glibc declares it only under `_GNU_SOURCE`, which Swift does not set: look it up.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
        -> Int32
    private static let glibcAddChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }
    #endif

    private static func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}


/// Bytes read from a pipe on another thread, at most `limit` of them held at any time: the
/// first ones (standard output: past the limit, reading stops and `overflowed` is set) or the
/// last ones (standard error: older bytes are dropped as newer ones come).
private final class Collected: Sendable {
    enum Keeping { case head, tail }

    private let limit: Int
    private let keeping: Keeping
    private let state = Mutex((data: Data(), cut: false))
    private let overflow = Atomic(false)

    init(limit: Int, keeping: Keeping) {
        self.limit = limit
        self.keeping = keeping
    }

    /// Whether more than `limit` bytes came on a `head` pipe.
    var overflowed: Bool { overflow.load(ordering: .acquiring) }

    /// Reads `fd` to its end (or, keeping the head, past `limit`).
    func drain(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var data: [UInt8] = []
        var cut = false
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: chunk[..<count])
            guard data.count > limit else { continue }
            cut = true
            if keeping == .head {
                data.removeSubrange(limit...)
                overflow.store(true, ordering: .releasing)
                break
            }
            // Dropped a chunk's worth at a time: one small copy per chunk at most.
            if data.count >= limit + chunk.count { data.removeFirst(data.count - limit) }
        }
        if data.count > limit { data.removeFirst(data.count - limit) }
        state.withLock { $0 = (Data(data), cut) }
    }

    /// The bytes kept, and whether any were dropped.
    func get() -> (Data, Bool) { state.withLock { ($0.data, $0.cut) } }
}
