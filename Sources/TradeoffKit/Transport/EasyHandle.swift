import CCurl
import Foundation

/// A curl easy handle kept between transfers, with what it was last set up for: a transfer
/// like the one before sets only what changes from call to call.
///
/// `curl_easy_reset` and setting every option again cost about 0.9 µs a call in C, against
/// 0.04 µs for the URL and body alone; building the header list took an allocation per header
/// and per copy. A run's calls to one model share their method, CA bundle and headers. Used on
/// the client's loop thread only.
final class EasyHandle {
    let pointer: UnsafeMutableRawPointer
    /// curl writes a failed transfer's detailed message here; it stays at one address for
    /// the handle's life, and is cleared before each transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// The options that are set once and kept until a request needs others: nil until the
    /// first transfer.
    private var fixed: FixedOptions?
    /// The header list set on the handle, and the headers it holds.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var listedHeaders: [HTTPHeader]?

    /// What a request sets that only `curl_easy_reset` undoes (the method) or that a run
    /// keeps for all its calls.
    private struct FixedOptions: Equatable {
        var method: String
        var caBundle: String?
    }

    init() {
        pointer = tradeoff_curl_easy_init()!
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        tradeoff_curl_easy_cleanup(pointer)
        tradeoff_curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option for `request`, its response going to `transfer`. Must be called before
    /// the handle is added to the multi handle.
    func configure(for request: HTTPRequest, transfer: Transfer) {
        let fixed = FixedOptions(method: request.method, caBundle: request.caBundle)
        if fixed != self.fixed {
            setFixedOptions(fixed)
            self.fixed = fixed
        }
        errorBuffer[0] = 0
        _ = tradeoff_easy_setopt_string(pointer, CURLOPT_URL, request.url)
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        if request.method != "GET" {
            _ = tradeoff_easy_setopt_off_t(pointer, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS: curl keeps its own copy, so the body need not outlive this call.
            if request.body.isEmpty {
                _ = tradeoff_easy_setopt_string(pointer, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBytes { bytes in
                    _ = tradeoff_easy_setopt_pointer(pointer, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
                }
            }
        }
        if request.headers != listedHeaders {
            tradeoff_curl_slist_free_all(headerList)
            headerList = nil
            // "Expect:" stops curl from waiting for 100-continue on larger bodies.
            for header in request.headers + [HTTPHeader("Expect", "")] {
                headerList = tradeoff_curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            listedHeaders = request.headers
        }
        _ = tradeoff_easy_setopt_pointer(pointer, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        transfer.receive(from: pointer)
    }

    /// Resets the handle and sets the options kept between transfers.
    private func setFixedOptions(_ fixed: FixedOptions) {
        tradeoff_curl_easy_reset(pointer)
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_NOSIGNAL, 1)
        // Empty string: accept every encoding this libcurl can decode (gzip, br, ...).
        _ = tradeoff_easy_setopt_string(pointer, CURLOPT_ACCEPT_ENCODING, "")
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_FOLLOWLOCATION, 0)
        // HTTP/2 where the server offers it over TLS (ALPN), HTTP/1.1 otherwise: libcurl's default
        // since 7.62, set so a different build cannot change it. The multi handle multiplexes
        // HTTP/2 streams on one connection (CURLPIPE_MULTIPLEX, also its default).
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_SSL_VERIFYPEER, 1)
        _ = tradeoff_easy_setopt_long(pointer, CURLOPT_SSL_VERIFYHOST, 2)
        _ = tradeoff_easy_setopt_pointer(pointer, CURLOPT_ERRORBUFFER, errorBuffer)
        if let caBundle = fixed.caBundle { _ = tradeoff_easy_setopt_string(pointer, CURLOPT_CAINFO, caBundle) }
        switch fixed.method {
        case "GET": _ = tradeoff_easy_setopt_long(pointer, CURLOPT_HTTPGET, 1)
        case "POST": break  // COPYPOSTFIELDS makes it a POST
        default: _ = tradeoff_easy_setopt_string(pointer, CURLOPT_CUSTOMREQUEST, fixed.method)
        }
    }
}
