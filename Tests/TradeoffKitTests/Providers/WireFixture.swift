import Foundation
import TradeoffKit

/// Byte fixtures for the wire-format tests: a chat, a model of any kind, and responses as the
/// transport hands them over, read through `Provider.interpret` as the runner reads them.
enum WireFixture {
    static let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 16)

    static func model(_ provider: ProviderKind, stream: Bool = false, preset: ProviderPreset? = nil) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: "http://127.0.0.1:1", model: "m", modelClass: .open,
                   price: nil, apiKeyEnv: nil, preset: preset, stream: stream)
    }

    /// A response; a stream arrives one event per piece, 10 ms apart.
    static func response(_ body: String, stream: Bool = false, status: Int = 200,
                         headers: [String: String] = [:]) -> HTTPResponse {
        var arrivals: [BodyArrival] = []
        if stream {
            var offset = 0
            for (index, piece) in body.components(separatedBy: "\n\n").dropLast().enumerated() {
                offset += piece.utf8.count + 2
                arrivals.append(BodyArrival(endOffset: offset, seconds: 0.1 + 0.01 * Double(index)))
            }
        }
        var all = headers
        all["content-type"] = stream ? "text/event-stream" : "application/json"
        return HTTPResponse(status: status, headers: all, body: Data(body.utf8), timings: TransferTimings(total: 0.5),
                            arrivals: arrivals)
    }

    /// `body` as `provider` answered it, read into a reply or a call error.
    ///
    /// - Parameter chat: the request answered: what usage is possible follows from it.
    static func reply(_ body: String, _ provider: ProviderKind, stream: Bool = false, status: Int = 200,
                      preset: ProviderPreset? = nil, headers: [String: String] = [:],
                      chat: ChatRequest = chat) -> Result<ProviderReply, CallError> {
        Provider.interpret(.success(response(body, stream: stream, status: status, headers: headers)), for: chat,
                           model: model(provider, stream: stream, preset: preset))
    }

    /// The same, from bytes that need not be UTF-8, with the headers given as they are.
    static func reply(bytes body: Data, _ provider: ProviderKind, stream: Bool, headers: [String: String],
                      status: Int = 200) -> Result<ProviderReply, CallError> {
        let response = HTTPResponse(status: status, headers: headers, body: body, timings: TransferTimings(total: 0.5))
        return Provider.interpret(.success(response), for: chat, model: model(provider, stream: stream))
    }
}
