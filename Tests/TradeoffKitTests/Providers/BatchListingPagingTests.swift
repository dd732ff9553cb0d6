import FakeProvider
import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A batch whose creation answer was lost is found on resume even when more than 100 newer
/// batches were made since: the listing is read page by page (OpenAI's `after`/`has_more`,
/// Anthropic's `after_id`/`has_more`/`last_id`, Gemini's `pageToken`/`nextPageToken`), as the
/// fake provider pages it (at most 100 a page).
struct BatchListingPagingTests {
    private static let newer = 130

    private func chat(_ index: Int) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(role: .user, content: "Compute: \(index) + 1")], temperature: 0, maxTokens: 16)
    }

    private func api(_ provider: ProviderKind, _ server: FakeProviderServer) -> any BatchAPI {
        let model = ModelEntry(id: "a", provider: provider, baseURL: provider == .openAI ? server.baseURL : server.rootURL,
                               model: "sim/a", modelClass: .open, price: Price(inputPerMillion: 2, outputPerMillion: 4),
                               apiKeyEnv: nil, timeoutSeconds: 10, simulated: true)
        return SubmitAsBatch.api(for: model, apiKey: nil, caBundle: nil)
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func anIntentIsFoundPastTheNewest100Batches(provider: ProviderKind) throws {
        let server = try FakeProviderServer.start(config: FakeProviderConfig(models: [.init(name: "sim/a")]))
        defer { server.shutdown() }
        let client = try HTTPClient()
        defer { client.shutdown() }
        let api = api(provider, server)
        // The lost batch: three requests, recorded under its tag just before it was made.
        let intent = BatchRecord(runId: 1, modelId: "a", tag: "tradeoff-1-lost", round: 1, customIDs: ["k1", "k2", "k3"])
        let lost = try api.submit((1...3).map { api.entry(customID: "k\($0)", chat: chat($0)) }, tag: intent.tag,
                                  intentAt: intent.createdAt, excluding: [], via: client) { _ in }.get()
        // Then many newer ones, of two requests each (not the lost one's size, for Anthropic's match).
        for index in 0..<Self.newer {
            _ = try api.submit([api.entry(customID: "n\(index)a", chat: chat(index)), api.entry(customID: "n\(index)b", chat: chat(index))],
                               tag: "tradeoff-2-\(index)", intentAt: Date(), excluding: [], via: client) { _ in }.get()
        }
        #expect(server.batchesCreated() == Self.newer + 1)

        let found = try api.find(intent, among: [intent], excluding: [], via: client).get()
        #expect(found?.id == lost.id)
        // Known ids are never adopted again: then it is not found, wherever it is.
        let excluded = try api.find(intent, among: [intent], excluding: [lost.id], via: client).get()
        #expect(excluded == nil)
    }
}
