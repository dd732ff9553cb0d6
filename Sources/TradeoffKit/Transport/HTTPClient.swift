import CCurl
import Dispatch
import Foundation
import Synchronization

/// An HTTP client over libcurl's multi interface: every transfer runs on one event loop, so
/// many requests can be in flight on a single thread, with connections reused between them.
///
/// `send` may be called from any thread; completions run on the client's loop thread and must
/// return quickly (hand real work to another queue). A send after `shutdown()` fails on another
/// thread, never within `send`.
public final class HTTPClient: Sendable {
    public typealias Completion = @Sendable (Result<HTTPResponse, TransportError>) -> Void

    private let shared: Shared
    private var multi: MultiHandle { shared.multi }
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the client's event loop.
    ///
    /// - Parameters:
    ///   - maxConnectionsPerHost: curl's per-host connection limit (0 = no limit).
    ///   - idleConnections: how many connections are kept open between requests. Left to
    ///     itself curl keeps 4 per easy handle in use, so when a burst of answers comes back
    ///     before the next requests are added, it closes connections the next requests then
    ///     open again (59 connections for a window of 48 under load, in `HTTPClientTests`).
    /// - Throws: `MissingLibraryError` when libcurl cannot be opened (it is opened by the first
    ///   client, not when the program starts).
    public init(maxConnectionsPerHost: Int = 0, idleConnections: Int = 256) throws(MissingLibraryError) {
        try HTTPClient.library.get()
        shared = Shared()
        // HTTP/2 streams to one host share a connection (libcurl's default since 7.62, made explicit).
        _ = tradeoff_multi_setopt_long(multi.pointer, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = tradeoff_multi_setopt_long(multi.pointer, CURLMOPT_MAXCONNECTS, max(1, idleConnections))
        if maxConnectionsPerHost > 0 {
            _ = tradeoff_multi_setopt_long(multi.pointer, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        let loop = EventLoop(shared: shared)
        Thread.detachNewThread { [stopped] in
            loop.run()
            stopped.signal()
        }
    }

    deinit {
        shutdown()
    }

    /// Starts `request`; `completion` is called once, on the loop thread (after `shutdown()`, on
    /// another thread, with a failure).
    public func send(_ request: HTTPRequest, completion: @escaping Completion) {
        let (accepted, first) = shared.state.withLock { state -> (Bool, Bool) in
            guard !state.shuttingDown else { return (false, false) }
            state.pending.append(ClientState.Pending(request: request, completion: completion))
            return (true, state.pending.count == 1)
        }
        guard accepted else {
            // Never on the caller's thread: a completion that sends again (the next call) would
            // recurse once per call left.
            DispatchQueue.global().async { completion(.failure(TransportError(code: -1, message: "HTTP client is shut down"))) }
            return
        }
        // Only the first request queued since the loop last took them needs to wake it: the loop
        // takes the queue after every wake-up, so the later ones ride along. Nor does a request
        // sent by a completion, on the loop itself (a runner's next call): the loop takes the
        // queue before it next waits.
        if first && !shared.onLoopThread { shared.wake() }
    }

    /// Sends `request` and waits for its response. Never call it from a completion handler.
    public func sendAndWait(_ request: HTTPRequest) -> Result<HTTPResponse, TransportError> {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<HTTPResponse, TransportError>?>(nil)
        send(request) { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    #if os(Linux)
    /// How many times a request woke the loop (for tests: a completion's request does not).
    var wakeUps: Int { shared.wakes.load(ordering: .relaxed) }
    #endif

    /// Lets transfers in flight finish, then stops the loop. Idempotent.
    public func shutdown() {
        let first = shared.state.withLock { state -> Bool in
            defer { state.shuttingDown = true }
            return !state.shuttingDown
        }
        guard first else { return }
        shared.wake()
        stopped.wait()
    }

    /// libcurl, opened (and `curl_global_init` called) by the first client.
    private static let library: Result<Void, MissingLibraryError> = {
        guard let failure = tradeoff_curl_load() else { return .success(()) }
        return .failure(MissingLibraryError(library: "libcurl", reason: String(cString: failure), package: "libcurl4-openssl-dev"))
    }()
}

/// Owns the CURLM handle. curl documents `curl_multi_wakeup` as callable from any thread;
/// everything else is used on the loop thread only.
private final class MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init() {
        pointer = UnsafeMutableRawPointer(tradeoff_curl_multi_init()!)
    }

    deinit {
        tradeoff_curl_multi_cleanup(pointer)
    }
}

/// The loop that drives curl. Confined to its own thread.
///
/// On Linux it runs curl's socket interface over epoll: curl names the sockets to watch and
/// its next timeout, and only the sockets that are ready are handed back to it. Elsewhere it
/// polls every socket with `curl_multi_poll`.
private final class EventLoop: @unchecked Sendable {
    private let shared: Shared
    private var multi: MultiHandle { shared.multi }
    private var idleHandles: [EasyHandle] = []
    private var active = 0
    #if os(Linux)
    private let epoll = tradeoff_epoll_create()
    /// When curl wants `CURL_SOCKET_TIMEOUT` handled, in `DispatchTime` nanoseconds; nil: never.
    private var timerDeadline: UInt64?
    #endif

    init(shared: Shared) {
        self.shared = shared
    }

    #if os(Linux)
    func run() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = tradeoff_multi_setopt_pointer(multi.pointer, CURLMOPT_SOCKETDATA, context)
        _ = tradeoff_multi_setopt_socket_callback(multi.pointer, CURLMOPT_SOCKETFUNCTION) { _, socket, what, context, known in
            Unmanaged<EventLoop>.fromOpaque(context!).takeUnretainedValue().watch(socket, what, known: known != nil)
            return 0
        }
        _ = tradeoff_multi_setopt_pointer(multi.pointer, CURLMOPT_TIMERDATA, context)
        _ = tradeoff_multi_setopt_timer_callback(multi.pointer, CURLMOPT_TIMERFUNCTION) { _, milliseconds, context in
            Unmanaged<EventLoop>.fromOpaque(context!).takeUnretainedValue().setTimer(milliseconds)
            return 0
        }
        _ = tradeoff_epoll_control(epoll, EPOLL_CTL_ADD, shared.wakeDescriptor, EPOLLIN.rawValue)
        shared.loopThread.store(pthread_self(), ordering: .releasing)

        let capacity: Int32 = 64
        var descriptors = [Int32](repeating: 0, count: Int(capacity))
        var events = [UInt32](repeating: 0, count: Int(capacity))
        var running: Int32 = 0
        // The queue is swapped out, not copied: a copy left the shared array to reallocate.
        var pending: [ClientState.Pending] = []
        while true {
            let shuttingDown = shared.state.withLock { state in
                swap(&pending, &state.pending)
                return state.shuttingDown
            }
            for item in pending { start(item.request, item.completion) }
            pending.removeAll(keepingCapacity: true)
            if shuttingDown && active == 0 { break }

            // A request queued from this thread since the queue was taken (a transfer that failed
            // to start, whose completion sent another) did not wake the loop: do not sleep on it.
            let queued = shared.state.withLock { !$0.pending.isEmpty }
            let ready = tradeoff_epoll_wait(epoll, &descriptors, &events, capacity, queued ? 0 : waitMilliseconds())
            for index in 0..<max(0, Int(ready)) {
                let descriptor = descriptors[index], event = events[index]
                if descriptor == shared.wakeDescriptor {
                    shared.clearWake()
                    continue
                }
                var mask: Int32 = 0
                if event & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_IN }
                if event & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                if event & EPOLLERR.rawValue != 0 { mask |= CURL_CSELECT_ERR }
                tradeoff_curl_multi_socket_action(multi.pointer, descriptor, mask, &running)
            }
            if let deadline = timerDeadline, DispatchTime.now().uptimeNanoseconds >= deadline {
                timerDeadline = nil
                tradeoff_curl_multi_socket_action(multi.pointer, CURL_SOCKET_BAD, 0, &running)  // CURL_SOCKET_TIMEOUT
            }
            drainMessages()
        }
        // Cleaning up the multi handle later closes cached connections: it must not call back here.
        _ = tradeoff_multi_setopt_socket_callback(multi.pointer, CURLMOPT_SOCKETFUNCTION, nil)
        _ = tradeoff_multi_setopt_timer_callback(multi.pointer, CURLMOPT_TIMERFUNCTION, nil)
        idleHandles.removeAll()
        close(epoll)
    }

    /// curl's socket callback: watch `socket` for what curl waits on, or stop watching it.
    /// `known`: curl holds our mark for the socket (`curl_multi_assign`), so it is in the set.
    private func watch(_ socket: curl_socket_t, _ what: Int32, known: Bool) {
        guard what != CURL_POLL_REMOVE else {
            _ = tradeoff_epoll_control(epoll, EPOLL_CTL_DEL, socket, 0)
            return
        }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        if known {
            _ = tradeoff_epoll_control(epoll, EPOLL_CTL_MOD, socket, events)
        } else {
            // A descriptor number curl reuses may still be in the set if it was closed unseen.
            if tradeoff_epoll_control(epoll, EPOLL_CTL_ADD, socket, events) != 0 && errno == EEXIST {
                _ = tradeoff_epoll_control(epoll, EPOLL_CTL_MOD, socket, events)
            }
            tradeoff_curl_multi_assign(multi.pointer, socket, UnsafeMutableRawPointer(bitPattern: 1))
        }
    }

    /// curl's timer callback: -1 removes the timer, 0 asks for the timeout to be handled now.
    private func setTimer(_ milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil
            : DispatchTime.now().uptimeNanoseconds + UInt64(milliseconds) * 1_000_000
    }

    /// How long epoll may sleep: until curl's timer is due (rounded up), at most a second.
    private func waitMilliseconds() -> Int32 {
        guard let deadline = timerDeadline else { return 1000 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard deadline > now else { return 0 }
        return Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
    }
    #else
    func run() {
        var running: Int32 = 0
        while true {
            let (pending, shuttingDown) = shared.state.withLock { state in
                defer { state.pending.removeAll(keepingCapacity: true) }
                return (state.pending, state.shuttingDown)
            }
            for item in pending { start(item.request, item.completion) }
            if shuttingDown && active == 0 { break }

            tradeoff_curl_multi_perform(multi.pointer, &running)
            drainMessages()
            if active > 0 || !shuttingDown {
                var numfds: Int32 = 0
                tradeoff_curl_multi_poll(multi.pointer, nil, 0, 1000, &numfds)
            }
        }
        idleHandles.removeAll()
    }
    #endif

    private func start(_ request: HTTPRequest, _ completion: @escaping HTTPClient.Completion) {
        let handle = idleHandles.popLast() ?? EasyHandle()
        let transfer = Transfer(on: handle, completion: completion)
        handle.configure(for: request, transfer: transfer)
        let context = Unmanaged.passRetained(transfer).toOpaque()
        _ = tradeoff_easy_setopt_pointer(handle.pointer, CURLOPT_PRIVATE, context)
        let code = tradeoff_curl_multi_add_handle(multi.pointer, handle.pointer)
        if code != CURLM_OK {
            Unmanaged<Transfer>.fromOpaque(context).release()
            transfer.finish(code: CURLE_FAILED_INIT)
            idleHandles.append(handle)
            return
        }
        transfer.markStarted()
        active += 1
    }

    private func drainMessages() {
        var queued: Int32 = 0
        while let message = tradeoff_curl_multi_info_read(multi.pointer, &queued) {
            guard tradeoff_msg_is_done(message) != 0 else { continue }
            let pointer = tradeoff_msg_easy_handle(message)!
            let code = tradeoff_msg_result(message)
            tradeoff_curl_multi_remove_handle(multi.pointer, pointer)
            var context: UnsafeMutableRawPointer?
            _ = tradeoff_easy_getinfo_pointer(pointer, CURLINFO_PRIVATE, &context)
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeRetainedValue()
            active -= 1
            transfer.finish(code: code)
            idleHandles.append(transfer.handle)
        }
    }
}

/// What the client and its loop share.
private final class Shared: Sendable {
    let multi = MultiHandle()
    let state = Mutex(ClientState())
    #if os(Linux)
    /// An eventfd in the loop's epoll set: written to wake the loop.
    let wakeDescriptor = tradeoff_eventfd()
    /// The loop's thread, once it runs (0 before).
    let loopThread = Atomic<pthread_t>(0)
    /// Wake-ups written, for tests.
    let wakes = Atomic<Int>(0)

    /// Whether the caller is the loop's own thread.
    var onLoopThread: Bool { loopThread.load(ordering: .acquiring) == pthread_self() }

    deinit {
        close(wakeDescriptor)
    }

    /// Wakes the loop. Safe from any thread.
    func wake() {
        wakes.add(1, ordering: .relaxed)
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Resets the wake-up, on the loop thread, before it next takes the queue.
    func clearWake() {
        var count: UInt64 = 0
        _ = read(wakeDescriptor, &count, MemoryLayout<UInt64>.size)
    }
    #else
    /// Never: elsewhere every request wakes the loop.
    var onLoopThread: Bool { false }

    /// Wakes the loop. Safe from any thread.
    func wake() {
        tradeoff_curl_multi_wakeup(multi.pointer)
    }
    #endif
}

/// What callers hand to the loop: requests not yet started, and whether to stop.
private struct ClientState: Sendable {
    struct Pending: Sendable {
        var request: HTTPRequest
        var completion: HTTPClient.Completion
    }

    var pending: [Pending] = []
    var shuttingDown = false
}
