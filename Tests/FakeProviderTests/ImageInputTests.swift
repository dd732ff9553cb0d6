import Foundation
import Testing
@testable import FakeProvider

/// Images in every format: accepted as each provider documents them, read (a PNG's `tEXt`
/// label answers the vision question), billed 85 prompt tokens each, and malformed ones refused
/// with the provider's own error shape.
@Suite("Images")
struct ImageInputTests {
    static let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/sure", accuracy: 1)])
    /// A 1×1 PNG whose `tEXt` chunk says `STOP 42`.
    static let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAADXRFWHRMYWJlbABTVE9QIDQy9nogKgAAAApJREFUeJxjaAAAAIIAgXfNcrYAAAAASUVORK5CYII="
    static let question = "What does the label in the image say?"

    private func openAI(_ server: FakeProviderServer, url: String) throws -> RawHTTPResponse {
        try chat(server, model: "sim/sure", user: "", key: "k", extra: [
            "messages": [["role": "user", "content": [["type": "text", "text": Self.question],
                                                       ["type": "image_url", "image_url": ["url": url]]]]],
        ])
    }

    private func anthropicImage(_ server: FakeProviderServer, mediaType: String, data: String) throws -> RawHTTPResponse {
        try anthropic(server, model: "sim/sure", user: "", key: "k", extra: [
            "messages": [["role": "user", "content": [
                ["type": "text", "text": Self.question],
                ["type": "image", "source": ["type": "base64", "media_type": mediaType, "data": data]],
            ]]],
        ])
    }

    private func gemini(_ server: FakeProviderServer, mimeType: String, data: String) throws -> RawHTTPResponse {
        let body: [String: Any] = ["contents": [["role": "user", "parts": [
            ["text": Self.question], ["inlineData": ["mimeType": mimeType, "data": data]],
        ]]]]
        return try RawHTTPClient.send(port: server.port, path: "/v1beta/models/sim%2Fsure:generateContent",
                                      headers: ["x-goog-api-key": "k"], body: jsonText(body))
    }

    @Test("Each format reads the label and bills 85 tokens for the image")
    func readsTheLabel() throws {
        // ceil(37 characters / 4) + 3 for the message + 85 for the image.
        let expectedPrompt = 10 + 3 + 85
        try withServer(Self.config) { server in
            let openAI = try openAI(server, url: "data:image/png;base64," + Self.png)
            #expect(openAI.status == 200, "\(openAI.body)")
            #expect(openAI.content == "STOP 42")
            #expect((openAI.json["usage"] as? [String: Any])?["prompt_tokens"] as? Int == expectedPrompt)

            let claude = try anthropicImage(server, mediaType: "image/png", data: Self.png)
            #expect((claude.json["content"] as? [[String: Any]])?.first?["text"] as? String == "STOP 42")
            #expect((claude.json["usage"] as? [String: Any])?["input_tokens"] as? Int == expectedPrompt)

            let google = try gemini(server, mimeType: "image/png", data: Self.png)
            #expect(GeminiFormatTests.answerText([google.json]) == "STOP 42")
            #expect((google.json["usageMetadata"] as? [String: Any])?["promptTokenCount"] as? Int == expectedPrompt)
        }
    }

    @Test("Malformed images get each provider's 400")
    func malformedImages() throws {
        try withServer(Self.config) { server in
            let notData = try openAI(server, url: "https://example.com/cat.png")
            #expect(notData.status == 400)
            #expect((notData.json["error"] as? [String: Any])?["code"] as? String == "invalid_image_url")
            let badBase64 = try openAI(server, url: "data:image/png;base64,@@@")
            #expect((badBase64.json["error"] as? [String: Any])?["code"] as? String == "invalid_image_format")

            let mismatch = try anthropicImage(server, mediaType: "image/jpeg", data: Self.png)
            #expect(mismatch.status == 400)
            #expect((mismatch.json["error"] as? [String: Any])?["message"] as? String
                    == "messages.0.content.1.image.source.base64: Image does not match the provided media type image/jpeg")
            let notImage = try anthropicImage(server, mediaType: "image/png", data: Data("hello".utf8).base64EncodedString())
            #expect((notImage.json["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")

            let google = try gemini(server, mimeType: "image/png", data: "not base64!")
            #expect(google.status == 400)
            #expect((google.json["error"] as? [String: Any])?["status"] as? String == "INVALID_ARGUMENT")
        }
    }

    @Test("Another picture is another request")
    func imagesJoinTheHash() {
        let one = ImageInput(mediaType: "image/png", digest: 1, label: "a")
        let two = ImageInput(mediaType: "image/png", digest: 2, label: "a")
        #expect(Simulator.hash(model: "m", messages: [ChatMessage(role: "user", content: "q", images: [one])])
                != Simulator.hash(model: "m", messages: [ChatMessage(role: "user", content: "q", images: [two])]))
        #expect(ImageInput.pngText(Data(base64Encoded: Self.png)!) == "STOP 42")
    }
}
