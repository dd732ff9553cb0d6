import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// Tool calling and structured output through the runner, against the fake provider speaking
/// each wire format, streamed and not: the calls are recorded and graded.
@Suite(.serialized)
struct ToolEndToEndTests {
    private static let formats: [(ProviderKind, String)] = [
        (.openAI, "sim/openai"), (.anthropic, "sim/anthropic"), (.gemini, "sim/gemini"), (.azureOpenAI, "sim/azure"),
    ]

    static let orderTool = ToolSpec(
        name: "lookup_order", description: "Look up an order by its id.",
        parameters: .object(["type": .string("object"), "required": .array([.string("order_id")]),
                             "properties": .object(["order_id": .object(["type": .string("string")])])]))
    static let refundTool = ToolSpec(
        name: "issue_refund", description: "Refund an order.",
        parameters: .object(["type": .string("object"), "required": .array([.string("order_id"), .string("amount")]),
                             "properties": .object(["order_id": .object(["type": .string("string")]),
                                                    "amount": .object(["type": .string("integer")])])]))
    static let contactSchema = ResponseFormat(
        name: "contact", schema: .object([
            "type": .string("object"), "required": .array([.string("name"), .string("seats")]),
            "additionalProperties": .bool(false),
            "properties": .object(["name": .object(["type": .string("string")]),
                                   "seats": .object(["type": .string("integer")])]),
        ]))

    private func suite() throws -> Suite {
        let orders = (1...3).map { TestCase(id: "o\($0)", variables: ["id": "A-10\($0)"]) }
        var tools = SuiteTask(
            id: "orders", system: nil, prompt: Template("Where is my order?\norder_id: {{id}}"),
            settings: TaskSettings(temperature: 0, maxTokens: 64),
            graders: [GraderSpec(.toolCall(ToolCallCheck(name: Template("lookup_order"),
                                                         arguments: .path(try JSONPath(parsing: "$.order_id"),
                                                                          .equals(Template("{{id}}")))))),
                      GraderSpec(.toolCallCount(name: nil, min: 1, max: 1))],
            cases: orders)
        tools.tools = [Self.orderTool, Self.refundTool]
        tools.toolChoice = .required
        let people = (1...3).map { TestCase(id: "p\($0)", variables: ["name": "Team \($0)", "seats": "\($0 * 10)"]) }
        var extraction = SuiteTask(
            id: "contacts", system: nil, prompt: Template("Extract the contact.\nname: {{name}}\nseats: {{seats}}"),
            settings: TaskSettings(temperature: 0, maxTokens: 64),
            graders: [GraderSpec(.jsonPath(path: try JSONPath(parsing: "$.seats"), check: .equals(Template("{{seats}}")))),
                      GraderSpec(.jsonPath(path: try JSONPath(parsing: "$.name"), check: .equals(Template("{{name}}")))),
                      GraderSpec(.noToolCall(name: nil))],
            cases: people)
        extraction.responseFormat = Self.contactSchema
        return Suite(name: "tools", description: nil, path: "tools.yaml", contentHash: "h", tasks: [tools, extraction])
    }

    private func models(on server: FakeProviderServer, stream: Bool) -> [ModelEntry] {
        Self.formats.map { kind, name in
            ModelEntry(id: kind.rawValue, provider: kind, baseURL: kind == .openAI ? server.baseURL : server.rootURL,
                       model: name, modelClass: .frontier, price: nil, apiKeyEnv: "KEY", timeoutSeconds: 10,
                       stream: stream, deployment: kind == .azureOpenAI ? name : nil)
        }
    }

    private func run(accuracy: Double, stream: Bool) throws -> [CallRecord] {
        let served = Self.formats.map { _, name in
            FakeProviderConfig.Model(name: name, accuracy: accuracy, chunkIntervalMs: 1)
        }
        return try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-tools", models: served) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: try suite(), models: models(on: server, stream: stream)),
                                        store: store, client: client, environment: ["KEY": "sk-tools"])
                let outcome = try runner.run(catalogPath: "models.yaml")
                return try store.calls(ofRun: outcome.runID)
            }
        }
    }

    @Test(arguments: [true, false])
    func everyFormatRecordsTheToolCallsAndTheStructuredAnswer(stream: Bool) throws {
        let calls = try run(accuracy: 1, stream: stream)
        #expect(calls.count == 24)
        for call in calls {
            #expect(call.errorClass == nil, "\(call.modelId): \(call.errorMessage ?? "")")
            #expect(call.passed == true, "\(call.modelId) \(call.taskId): \(call.grades ?? "")")
            if call.taskId == "orders" {
                #expect(call.finishReason == "tool_calls", "\(call.modelId)")
                let recorded = call.answeredToolCalls
                #expect(recorded.count == 1)
                #expect(recorded.first?.name == "lookup_order")
                // Canonical JSON whichever way the format carried the arguments.
                #expect(recorded.first?.arguments.hasPrefix(#"{"order_id":"A-10"#) == true, "\(recorded)")
            } else {
                #expect(call.toolCalls == nil, "\(call.modelId)")
                #expect(call.finishReason == "stop", "\(call.modelId)")
                // Anthropic's forced tool input became the text.
                #expect(call.output?.hasPrefix(#"{"#) == true, "\(call.modelId): \(call.output ?? "")")
            }
        }
    }

    @Test func regradingAndTheResponseCacheGradeTheRecordedCalls() throws {
        let served = [FakeProviderConfig.Model(name: "sim/openai")]
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-tools", models: served) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let model = [models(on: server, stream: true)[0]]
                let first = try Runner(plan: RunPlan(suite: try suite(), models: model), store: store, client: client,
                                       environment: ["KEY": "sk-tools"], cache: .on).run(catalogPath: "models.yaml")
                #expect(try store.calls(ofRun: first.runID).allSatisfy { $0.passed == true })

                // The graders now want the other tool: the recorded calls fail them, no model called.
                var changed = try suite()
                changed.tasks[0].graders[0] = GraderSpec(.toolCall(ToolCallCheck(name: Template("issue_refund"))))
                let requests = server.requestCount(model: "sim/openai")
                let regraded = try Regrader(store: store, suite: changed, client: client, environment: ["KEY": "sk-tools"])
                    .regrade(runID: first.runID)
                let all = try store.calls(ofRun: regraded.runID)
                let byTask = Dictionary(grouping: all, by: \.taskId)
                let calls = byTask["orders"] ?? []
                // Calls are stored as they finish, so in no set order.
                #expect(calls.map(\.caseId).sorted() == ["o1", "o2", "o3"])
                #expect(calls.count == 3 && calls.allSatisfy { $0.passed == false })
                #expect(byTask["contacts"]?.allSatisfy { $0.passed == true } == true)
                #expect(calls.allSatisfy { $0.answeredToolCalls.first?.name == "lookup_order" })
                #expect(calls.first?.graderOutcomes.first?.reason == "called 'lookup_order', not 'issue_refund'")

                // Replayed from the response cache, the calls come back with the answers.
                let replay = try Runner(plan: RunPlan(suite: try suite(), models: model), store: store, client: client,
                                        environment: ["KEY": "sk-tools"], cache: .on).run(catalogPath: "models.yaml")
                let replayed = try store.calls(ofRun: replay.runID)
                #expect(replayed.allSatisfy { $0.cacheHit && $0.passed == true })
                #expect(server.requestCount(model: "sim/openai") == requests)
            }
        }
    }

    @Test func aModelThatGetsItWrongFailsTheToolGraders() throws {
        let calls = try run(accuracy: 0, stream: true)
        #expect(calls.count == 24)
        #expect(calls.allSatisfy { $0.errorClass == nil })
        #expect(calls.allSatisfy { $0.passed == false }, "\(calls.filter { $0.passed == true }.map(\.grades))")
    }
}
