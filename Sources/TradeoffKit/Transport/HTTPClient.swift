import CCurl
import Dispatch
import Foundation
import Synchronization

/// An HTTP client over libcurl's multi interface: every transfer runs on one event loop, so
/// many requests can be in flight on a single thread, with connections reused between them.
///
/// `send` may be called from any thread; completions run on the client's loop thread and must
/// return quickly (hand real work to another queue).
public final class HTTPClient: Sendable {
    public typealias Completion = @Sendable (Result<HTTPResponse, TransportError>) -> Void

    private let shared: Shared
    private var multi: MultiHandle { shared.multi }
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the client's event loop.
    ///
    /// - Parameter maxConnectionsPerHost: curl's per-host connection limit (0 = no limit).
    public init(maxConnectionsPerHost: Int = 0) {
        _ = HTTPClient.globalInit
        shared = Shared()
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

    /// Starts `request`; `completion` is called once, on the loop thread.
    public func send(_ request: HTTPRequest, completion: @escaping Completion) {
        let accepted = shared.state.withLock { state -> Bool in
            guard !state.shuttingDown else { return false }
            state.pending.append(ClientState.Pending(request: request, completion: completion))
            return true
        }
        guard accepted else {
            completion(.failure(TransportError(code: -1, message: "HTTP client is shut down")))
            return
        }
        curl_multi_wakeup(multi.pointer)
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

    /// Lets transfers in flight finish, then stops the loop. Idempotent.
    public func shutdown() {
        let first = shared.state.withLock { state -> Bool in
            defer { state.shuttingDown = true }
            return !state.shuttingDown
        }
        guard first else { return }
        curl_multi_wakeup(multi.pointer)
        stopped.wait()
    }

    private static let globalInit: Void = {
        // CURL_GLOBAL_DEFAULT (SSL | WIN32); a macro Swift cannot import.
        curl_global_init(3)
    }()
}

/// Owns the CURLM handle. curl documents `curl_multi_wakeup` as callable from any thread;
/// everything else is used on the loop thread only.
private final class MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init() {
        pointer = UnsafeMutableRawPointer(curl_multi_init()!)
    }

    deinit {
        curl_multi_cleanup(pointer)
    }
}

/// The loop that drives curl. Confined to its own thread.
private final class EventLoop: @unchecked Sendable {
    private let shared: Shared
    private var multi: MultiHandle { shared.multi }
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private var active = 0

    init(shared: Shared) {
        self.shared = shared
    }

    func run() {
        var running: Int32 = 0
        while true {
            let (pending, shuttingDown) = shared.state.withLock { state in
                defer { state.pending.removeAll(keepingCapacity: true) }
                return (state.pending, state.shuttingDown)
            }
            for item in pending { start(item.request, item.completion) }
            if shuttingDown && active == 0 { break }

            curl_multi_perform(multi.pointer, &running)
            drainMessages()
            if active > 0 || !shuttingDown {
                var numfds: Int32 = 0
                curl_multi_poll(multi.pointer, nil, 0, 1000, &numfds)
            }
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
    }

    private func start(_ request: HTTPRequest, _ completion: @escaping HTTPClient.Completion) {
        let handle = idleHandles.popLast() ?? curl_easy_init()!
        curl_easy_reset(handle)
        let transfer = Transfer(completion: completion)
        transfer.configure(handle, for: request)
        let context = Unmanaged.passRetained(transfer).toOpaque()
        _ = tradeoff_easy_setopt_pointer(handle, CURLOPT_PRIVATE, context)
        let code = curl_multi_add_handle(multi.pointer, handle)
        if code != CURLM_OK {
            Unmanaged<Transfer>.fromOpaque(context).release()
            transfer.finish(handle, code: CURLE_FAILED_INIT)
            idleHandles.append(handle)
            return
        }
        transfer.markStarted()
        active += 1
    }

    private func drainMessages() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi.pointer, &queued) {
            guard tradeoff_msg_is_done(message) != 0 else { continue }
            let handle = tradeoff_msg_easy_handle(message)!
            let code = tradeoff_msg_result(message)
            curl_multi_remove_handle(multi.pointer, handle)
            var context: UnsafeMutableRawPointer?
            _ = tradeoff_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &context)
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeRetainedValue()
            active -= 1
            transfer.finish(handle, code: code)
            idleHandles.append(handle)
        }
    }
}

/// What the client and its loop share.
private final class Shared: Sendable {
    let multi = MultiHandle()
    let state = Mutex(ClientState())
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
