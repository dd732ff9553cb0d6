import Foundation
import Testing
@testable import TradeoffKit

/// A key is redacted wherever it lands, whole or in part: a body cut at 200 bytes must not keep
/// the first characters of a key that straddled the cut.
struct SecretsTests {
    private static let key = "sk-proj-ABCDEFGH12345678abcdefgh"

    @Test(arguments: [
        ("key \(key) end", "key [redacted] end"),
        ("cut: \(key.prefix(12))", "cut: [redacted]"),
        ("tail: \(key.suffix(9)).", "tail: [redacted]."),
        ("short: \(key.prefix(7)) stays", "short: \(key.prefix(7)) stays"),
        ("twice \(key)\(key)!", "twice [redacted]!"),
        ("nothing here", "nothing here"),
        ("é\(key.dropFirst(3).prefix(10))é", "é[redacted]é"),
    ])
    func everyRunOfEightCharactersOfAKeyIsRedacted(_ text: String, _ redacted: String) {
        #expect(Secrets.redact(text, [Self.key]) == redacted)
        #expect(Secrets.redact(Data(text.utf8), [Self.key]) == Data(redacted.utf8))
    }

    @Test func aShortSecretIsRedactedOnlyWhole() {
        #expect(Secrets.redact("pin 4321 and 432", ["4321"]) == "pin [redacted] and 432")
        #expect(Secrets.redact("abc", ["ab"]) == "abc")
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func aKeyStraddlingTheCutOfAnErrorBodyLeavesNothingBehind(_ provider: ProviderKind) throws {
        // An unreadable error body is quoted to 200 bytes; the key starts at byte 190.
        let body = String(repeating: "x", count: 190) + "key=" + Self.key + " and more"
        let response = WireFixture.response(body, status: 502)
        let error = try #require(Provider.interpret(.success(response), for: WireFixture.chat,
                                                    model: WireFixture.model(provider), secrets: [Self.key]).failure)
        #expect(!error.message.contains(Self.key.prefix(6)), "\(error.message)")
        // Redacted first, then cut: what is left of the key is the marker's start.
        #expect(error.message.hasSuffix("key=[redac…"), "\(error.message)")
    }

    @Test func aKeyInAMalformedReplyIsRedactedBeforeItIsQuoted() throws {
        let body = "not json " + Self.key
        let error = try #require(Provider.interpret(.success(WireFixture.response(body)), for: WireFixture.chat,
                                                    model: WireFixture.model(.openAI), secrets: [Self.key]).failure)
        #expect(error.message == "response body is not a chat completion: not json [redacted]")
    }
}
