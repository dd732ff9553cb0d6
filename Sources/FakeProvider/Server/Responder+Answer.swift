extension Responder {
    /// The answer to a request that drew no failing fault, or one that breaks the answer
    /// itself: a malformed body, a cut, an error event mid-stream.
    func answer(_ generation: Generation, plan: FaultPlan, format: any WireFormat, requestID: String) -> Reply {
        let delayMs = generation.delayMs + plan.slowFirstByteMs
        var headers = [(format.requestIDHeader, requestID)] + format.headers(for: generation)
        guard generation.request.stream else {
            let bytes = format.response(generation).bytes
            headers.insert(("content-type", format.jsonContentType), at: 0)
            let body: Reply.Body = switch plan.failure {
            case .malformed?: .complete(Array(bytes.prefix(bytes.count / 2)))
            case .cutStream?: .truncated(Array(bytes.prefix(bytes.count / 2)), declaredLength: bytes.count)
            default: .complete(bytes)
            }
            return Reply(status: .ok, headers: headers, body: body, delayMs: delayMs)
        }

        let stream = format.stream(generation)
        headers.insert(contentsOf: [("content-type", stream.contentType), ("cache-control", "no-cache")], at: 0)
        var events = stream.events
        var ending = Reply.StreamEnding.end
        switch plan.failure {
        case .malformed?:
            let index = min(stream.content.lowerBound, events.count - 1)
            events[index] = events[index].malformed
        case .cutStream?:
            events = Array(events[..<stream.faultIndex])
            ending = .close
        case .midStreamError?:
            events = Array(events[..<stream.faultIndex]) + [format.midStreamError(generation)]
        default:
            break
        }
        var chunks = events.enumerated().map { stream.bytes(of: $1, at: $0) }
        if ending == .end, !stream.closing.isEmpty { chunks.append(stream.closing) }
        return Reply(status: .ok, headers: headers,
                     body: .stream(chunks, ending: ending, intervalMs: generation.model.chunkIntervalMs),
                     delayMs: delayMs)
    }
}
