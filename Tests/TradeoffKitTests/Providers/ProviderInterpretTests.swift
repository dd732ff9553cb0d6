import Foundation
import Testing
import TradeoffKit

/// What an attempt that never got a whole response becomes, whichever format carried it.
struct ProviderInterpretTests {
    private func interpret(_ error: TransportError, _ provider: ProviderKind, stream: Bool = true) -> CallError? {
        Provider.interpret(.failure(error), for: WireFixture.chat, model: WireFixture.model(provider, stream: stream)).failure
    }

    @Test func transportFailuresAreClassified() {
        #expect(interpret(TransportError(code: 28, message: "Operation timed out"), .openAI)?.kind == .timeout)
        #expect(interpret(TransportError(code: 7, message: "Couldn't connect to server"), .openAI)?.kind == .connection)
        let partial = WireFixture.response("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", stream: true)
        #expect(interpret(TransportError(code: 18, message: "transfer closed", partial: partial), .openAI)?.kind == .cutStream)
    }

    @Test func cutStreamKeepsTheUsageItReportedAndTheFormatsRequestID() throws {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"c","content":[],"usage":{"input_tokens":9,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"par"}}


            """
        let partial = WireFixture.response(body, stream: true, headers: ["request-id": "req_cut"])
        let error = try #require(interpret(TransportError(code: 18, message: "transfer closed", partial: partial), .anthropic))
        #expect(error.kind == .cutStream)
        #expect(error.message == "the response ended before it was complete (transfer closed)")
        #expect(error.requestID == "req_cut")
        #expect(error.billedUsage?.inputTokens == 9)
    }

    @Test func errorStatusWithACutBodyIsStillTheProvidersError() throws {
        let partial = WireFixture.response(#"{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}"#,
                                           status: 400)
        let error = try #require(interpret(TransportError(code: 56, message: "connection reset", partial: partial), .gemini,
                                           stream: false))
        #expect(error.kind == .auth)
        #expect(error.message == "API key not valid. (connection reset)")
        #expect(error.httpStatus == 400)
    }
}
