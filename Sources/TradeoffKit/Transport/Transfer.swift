import CCurl
import Dispatch
import Foundation

/// One transfer in flight: the response as it arrives, and who to tell when it ends.
/// Created, filled and finished on the client's loop thread only.
final class Transfer {
    private let completion: HTTPClient.Completion
    // Room for a typical reply up front: growing the body, its arrivals and the headers piece
    // by piece reallocated each of them several times a call. The body gathers in an array and
    // is copied into `Data` once: appended to `Data` piece by piece, through its storage's checks
    // for each piece, a streamed reply's pieces took 5,700 instructions, against 2,300 (callgrind).
    private var body: [UInt8] = []
    private var arrivals: [BodyArrival] = []
    /// When curl took the transfer (set by `markStarted`); body arrival times count from here,
    /// never before curl's own clock started, so a first token can never seem to arrive after
    /// the whole transfer ended.
    private var started: UInt64 = 0
    private var headers = [String: String](minimumCapacity: 16)
    private var status = 0
    /// The handle the transfer runs on.
    let handle: EasyHandle

    init(on handle: EasyHandle, completion: @escaping HTTPClient.Completion) {
        self.handle = handle
        self.completion = completion
        arrivals.reserveCapacity(8)
        body.reserveCapacity(2048)
    }

    /// Points `handle`'s callbacks at this transfer (`EasyHandle.configure`).
    func receive(from handle: UnsafeMutableRawPointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = tradeoff_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data, length > 0 { transfer.receiveBody(UnsafeRawPointer(data), count: length) }
            return length
        }
        _ = tradeoff_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = tradeoff_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { transfer.receive(HeaderLine.parse(UnsafeRawBufferPointer(start: data, count: length))) }
            return length
        }
        _ = tradeoff_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
    }

    /// Restarts the arrival clock: called right after curl has taken the transfer.
    func markStarted() {
        started = DispatchTime.now().uptimeNanoseconds
    }

    private func receiveBody(_ bytes: UnsafeRawPointer, count: Int) {
        body.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000
        arrivals.append(BodyArrival(endOffset: body.count, seconds: seconds))
    }

    private func receive(_ line: HeaderLine) {
        switch line {
        case .status(let code):
            // A new status line (after a 100 Continue or a redirect): start over.
            headers.removeAll(keepingCapacity: true)
            if let code { status = code }
        case .field(let name, let value):
            headers[name] = value
        case .other:
            break
        }
    }

    /// Reports the outcome of the transfer.
    func finish(code: CURLcode) {
        let handle = handle.pointer
        var timings = Self.timings(of: handle)
        // Arrivals are timed on our clock, the total on curl's: keep them consistent, so that no
        // piece of the body seems to arrive after the transfer ended.
        if let last = arrivals.last?.seconds, last > timings.total { timings.total = last }
        if code == CURLE_OK {
            var responseCode = 0
            _ = tradeoff_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
            completion(.success(HTTPResponse(status: responseCode != 0 ? responseCode : status,
                                             headers: headers, body: Data(body), timings: timings, arrivals: arrivals)))
        } else {
            var message = String(cString: tradeoff_curl_easy_strerror(code))
            let detail = String(cString: self.handle.errorBuffer)
            if !detail.isEmpty && detail != message { message += ": " + detail }
            let partial = status == 0 ? nil : HTTPResponse(status: status, headers: headers, body: Data(body),
                                                           timings: timings, arrivals: arrivals)
            completion(.failure(TransportError(code: Int(code.rawValue), message: message, timings: timings,
                                               partial: partial)))
        }
    }

    private static func timings(of handle: UnsafeMutableRawPointer) -> TransferTimings {
        func seconds(_ info: CURLINFO) -> Double {
            var value: curl_off_t = 0
            _ = tradeoff_easy_getinfo_off_t(handle, info, &value)
            return Double(value) / 1_000_000
        }
        return TransferTimings(nameLookup: seconds(CURLINFO_NAMELOOKUP_TIME_T),
                               connect: seconds(CURLINFO_CONNECT_TIME_T),
                               tlsHandshake: seconds(CURLINFO_APPCONNECT_TIME_T),
                               firstByte: seconds(CURLINFO_STARTTRANSFER_TIME_T),
                               total: seconds(CURLINFO_TOTAL_TIME_T))
    }
}
