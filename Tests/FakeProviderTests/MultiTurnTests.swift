import Foundation
import Testing
@testable import FakeProvider

/// Conversations: the fake answers the last user turn, whichever format carried the turns, and
/// the earlier turns are part of the request (they change the hash the outcome is drawn from).
@Suite("Multi-turn conversations")
struct MultiTurnTests {
    static let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/sure", accuracy: 1)])
    static let turns: [(role: String, text: String)] = [("user", "Compute: 1 + 1"), ("assistant", "2"),
                                                        ("user", "Compute: 20 + 22")]

    @Test("OpenAI, Anthropic and Gemini all answer the last user turn")
    func lastUserTurn() throws {
        try withServer(Self.config) { server in
            let openAI = try chat(server, model: "sim/sure", user: "", key: "k", extra: [
                "messages": [["role": "system", "content": "Be brief."]] + Self.turns.map { ["role": $0.role, "content": $0.text] },
            ])
            #expect(openAI.content == "42")
            let anthropic = try anthropic(server, model: "sim/sure", user: "", system: "Be brief.", key: "k", extra: [
                "messages": Self.turns.map { ["role": $0.role, "content": $0.text] },
            ])
            #expect((anthropic.json["content"] as? [[String: Any]])?.first?["text"] as? String == "42")
            let body: [String: Any] = [
                "systemInstruction": ["parts": [["text": "Be brief."]]],
                "contents": Self.turns.map { ["role": $0.role == "assistant" ? "model" : "user", "parts": [["text": $0.text]]] },
            ]
            let gemini = try RawHTTPClient.send(port: server.port, path: "/v1beta/models/sim%2Fsure:generateContent",
                                                headers: ["x-goog-api-key": "k"], body: jsonText(body))
            #expect(GeminiFormatTests.answerText([gemini.json]) == "42")
        }
    }

    @Test("An earlier turn changes the request, so the simulated outcome may change with it")
    func earlierTurnsCount() {
        let last = ChatMessage(role: "user", content: "Compute: 20 + 22")
        let one = [ChatMessage(role: "user", content: "Compute: 1 + 1"), ChatMessage(role: "assistant", content: "2"), last]
        let other = [ChatMessage(role: "user", content: "Compute: 1 + 1"), ChatMessage(role: "assistant", content: "3"), last]
        #expect(Simulator.hash(model: "m", messages: one) != Simulator.hash(model: "m", messages: other))
        let model = FakeProviderConfig.Model(name: "m", accuracy: 1)
        #expect(Simulator.outcome(model: model, messages: one).family == .arithmetic(result: 42))
    }
}
