import Dispatch
import Foundation
import Synchronization

/// The git commit a suite file belongs to, so a report can say exactly which version of the
/// suite (and its datasets, rubrics, graders) produced it.
public enum GitCommit {
    /// `HEAD`'s commit id of the repository holding `directory`, with `-dirty` when tracked files
    /// have uncommitted changes; nil outside a repository or without git. Reads only.
    ///
    /// - Parameter environment: This process's environment; git gets only what `forGit` keeps of it.
    public static func of(directory: String,
                          environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let environment = forGit(environment)
        guard let commit = git(["rev-parse", "HEAD"], in: directory, environment: environment), commit.count >= 7
        else { return nil }
        let changes = git(["status", "--porcelain", "--untracked-files=no"], in: directory, environment: environment) ?? ""
        return changes.isEmpty ? commit : commit + "-dirty"
    }

    /// What git is given of `environment`: where to find programs and the user's settings,
    /// the locale, and git's own variables (`GIT_DIR`, `GIT_CONFIG_*`, ...); not the rest.
    ///
    /// A repository's config can make `git status` run a command of its choosing
    /// (`core.fsmonitor`), which then sees git's environment: API keys must not be in it.
    static func forGit(_ environment: [String: String]) -> [String: String] {
        ChildProcess.environment(keeping: ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
                                           "XDG_CONFIG_HOME"],
                                 prefixes: ["LC_", "GIT_"], from: environment)
    }

    /// The commit of the repository holding the suite file at `suitePath` (its folder; `.` for
    /// a bare file name), as `of(directory:)`.
    public static func of(suitePath: String) -> String? {
        let folder = (suitePath as NSString).deletingLastPathComponent
        return of(directory: folder.isEmpty ? "." : folder)
    }

    /// `of(suitePath:)` started at once on another thread and read when needed: a run starts
    /// git before it loads its suite and opens its database, so the 4–15 ms git takes to start
    /// and answer (twice inside a repository) no longer come before the first call.
    public final class Lookup: Sendable {
        private let result = Mutex<String?>(nil)
        private let done = DispatchGroup()

        /// Starts looking up the commit of the suite file at `suitePath`, on another thread.
        public init(suitePath: String) {
            done.enter()
            DispatchQueue.global().async { [self] in
                let commit = GitCommit.of(suitePath: suitePath)
                result.withLock { $0 = commit }
                done.leave()
            }
        }

        /// The commit, once git has answered (waits until then).
        public var commit: String? {
            done.wait()
            return result.withLock { $0 }
        }
    }

    /// Runs git as command graders run (`ChildProcess`: posix_spawn, then the pipes read to their
    /// end): Foundation's `Process.waitUntilExit()` polls a run loop every 50 ms on Linux, and
    /// held every `tradeoff run` back that long before its first call.
    private static func git(_ arguments: [String], in directory: String, environment: [String: String]) -> String? {
        // Run in `directory` (not `git -C`, which a relative folder would then name twice).
        guard case .success(let result) = ChildProcess.run(argv: ["git"] + arguments, directory: directory,
                                                           input: Data(), timeout: 30, hiding: [], environment: environment),
              result.ending == .exited(0)
        else { return nil }
        return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
