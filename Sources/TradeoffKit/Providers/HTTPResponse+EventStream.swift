import Foundation

extension HTTPResponse {
    /// Whether to read the body as server-sent events, for a request that did (`requested`) or
    /// did not ask for a stream.
    ///
    /// The body decides before the `Content-Type`, which hosts and gateways get wrong both ways:
    /// a body opening with an SSE field (`data:`, `event:`, `id:`, `retry:` or a `:` comment)
    /// is a stream whatever its `Content-Type` says, and one opening with `{` or `[` is JSON.
    /// Only a body that shows neither goes by `Content-Type` (`text/event-stream`, or none).
    func isEventStream(requested: Bool) -> Bool {
        guard requested else { return false }
        let start = body.firstIndex { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } ?? body.endIndex
        let opening = body[start...].prefix(6)
        if opening.first == UInt8(ascii: "{") || opening.first == UInt8(ascii: "[") { return false }
        if opening.first == UInt8(ascii: ":") { return true }
        for field in ["data:", "event:", "id:", "retry:"] where opening.starts(with: field.utf8) { return true }
        return headers["content-type"].map { $0.lowercased().hasPrefix("text/event-stream") } ?? true
    }
}
