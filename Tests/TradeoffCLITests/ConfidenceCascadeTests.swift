import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// A cascade escalating on the `confidence` grader, end to end against the fake provider: the
/// logprobs are asked for, recorded as `calls.mean_logprob`, graded, kept by `tradeoff grade`,
/// and the cascade escalates exactly the cheap model's low-confidence (here: wrong) answers.
struct ConfidenceCascadeTests {
    let tradeoff = builtProduct("tradeoff")
    private static let cases = 30

    private static func suite(stream: Bool) -> String {
        let sums = (1...cases).map { "      - {id: s\($0), vars: {a: \"\($0)\", b: \"3\", sum: \"\($0 + 3)\"}}" }
        return """
            suite: confident
            models: models.yaml
            reference: strong
            defaults: {max_tokens: 16}
            cascades:
              - models: [cheap, strong]
                escalate_when: [confidence]
            tasks:
              - id: add
                prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                graders:
                  - {type: exact, expected: "{{sum}}", normalize: [trim]}
                  - {type: confidence, min: 0.8, online: true}
                cases:
            \(sums.joined(separator: "\n"))
            """
    }

    private static func catalog(port: Int, cheapProvider: String, stream: Bool) -> String {
        // Gemini and Azure name their paths themselves.
        let base = cheapProvider == "openai" ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
        return """
            models:
              - {id: strong, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: sim/strong, class: frontier,
                 price: {input: 2.50, output: 10.00}}
              - {id: cheap, provider: \(cheapProvider), base_url: "\(base)", model: sim/cheap, class: open, stream: \(stream),
                 price: {input: 0.10, output: 0.40}}
            """
    }

    @Test(arguments: [("openai", false), ("openai", true), ("azure-openai", true), ("gemini", false), ("gemini", true)])
    func aConfidenceCascadeEscalatesTheLowConfidenceAnswers(cheapProvider: String, stream: Bool) throws {
        let server = try FakeProviderServer.start(config: FakeProviderConfig(models: [
            .init(name: "sim/strong", accuracy: 1), .init(name: "sim/cheap", accuracy: 0.5),
        ]))
        defer { server.shutdown() }
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", Self.suite(stream: stream))
            try directory.write("models.yaml", Self.catalog(port: server.port, cheapProvider: cheapProvider, stream: stream))
            let validated = try runProcess(tradeoff, ["validate", "suite.yaml"], directory: directory.path)
            #expect(validated.status == 0, "\(validated.stderr)")
            let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                     directory: directory.path)
            #expect(run.status == 0, "stderr: \(run.stderr)")

            let database = try DatabaseQueue(path: directory.file("r.sqlite"))
            let rows = try database.read { db in
                try Row.fetchAll(db, sql: "SELECT model_id, case_id, score, mean_logprob, logprob_tokens, grades FROM calls WHERE run_id = 1")
            }
            #expect(rows.count == 2 * Self.cases)
            var cheapWrong = 0
            // Per model and case: the case score, and whether the confidence check passed.
            var answers: [String: [String: (score: Double, confident: Bool)]] = [:]
            for row in rows {
                let mean: Double? = row["mean_logprob"]
                let probability = exp(try #require(mean, "every answer's logprobs are recorded"))
                #expect((row["logprob_tokens"] as Int?).map { $0 >= 1 } == true)
                let outcomes = try #require(try JSONSerialization.jsonObject(with: Data((row["grades"] as String).utf8))
                                            as? [[String: Any]])
                let right = outcomes[0]["passed"] as? Bool == true
                let confident = outcomes[1]["passed"] as? Bool == true
                // Right answers come with ~0.9, wrong ones with ~0.55: the grader tells them apart.
                #expect(right == confident, "\(outcomes)")
                #expect(right ? probability > 0.83 : probability < 0.62, "\(probability)")
                #expect(abs((outcomes[1]["score"] as? Double ?? -1) - probability) < 1e-9)
                #expect(outcomes[1]["online"] as? Bool == true)
                if row["model_id"] as String == "cheap" && !right { cheapWrong += 1 }
                answers[row["model_id"], default: [:]][row["case_id"]] = (try #require(row["score"] as Double?), confident)
            }
            #expect(cheapWrong > 0 && cheapWrong < Self.cases, "the cheap model gets some right and some wrong")

            // The cascade escalates the cheap model's unconfident answers, which are its wrong ones.
            let route = try runProcess(tradeoff, ["route", "r.sqlite", "--format", "json"], directory: directory.path)
            #expect(route.status == 0, "stderr: \(route.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(route.stdout.utf8)) as? [String: Any])
            let cascades = try #require((object["routing"] as? [String: Any])?["cascades"] as? [[String: Any]])
            let named = try #require(cascades.first { $0["automatic"] as? Bool == false })
            #expect(named["models"] as? [String] == ["cheap", "strong"])
            #expect(named["escalate_when"] as? [String] == ["confidence"])
            let rate = try #require(named["escalation_rate"] as? Double)
            #expect(abs(rate - Double(cheapWrong) / Double(Self.cases)) < 1e-9, "\(named)")
            // Its quality: the cheap answer where it was confident, the strong one elsewhere.
            let cheap = try #require(answers["cheap"]), strong = try #require(answers["strong"])
            let kept = try cheap.map { id, answer in answer.confident ? answer.score : try #require(strong[id]).score }
            let quality = try #require((named["quality"] as? [String: Any])?["value"] as? Double)
            #expect(abs(quality - kept.reduce(0, +) / Double(kept.count)) < 1e-9, "\(named)")

            // Re-grading reads the recorded logprobs: the same confidence outcomes, kept in the new run.
            let regrade = try runProcess(tradeoff, ["grade", "r.sqlite", "--no-report"], directory: directory.path)
            #expect(regrade.status == 0, "stderr: \(regrade.stderr)")
            let (before, after) = try database.read { db in
                (try String.fetchAll(db, sql: "SELECT grades || mean_logprob FROM calls WHERE run_id = 1 ORDER BY model_id, case_id"),
                 try String.fetchAll(db, sql: "SELECT grades || mean_logprob FROM calls WHERE run_id = 2 ORDER BY model_id, case_id"))
            }
            #expect(before == after)
        }
    }

    @Test func validateRefusesAConfidenceGraderOnAnAnthropicModel() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", Self.suite(stream: false))
            try directory.write("models.yaml", Self.catalog(port: 1, cheapProvider: "anthropic", stream: false))
            let validated = try runProcess(tradeoff, ["validate", "suite.yaml"], directory: directory.path)
            #expect(validated.status == 2)
            #expect(validated.stderr.contains("suite.yaml:13:16: error: task 'add' has a 'confidence' grader, which reads "
                                              + "the answer's token logprobs, but 'cheap' is served by Anthropic's Messages "
                                              + "API, which returns none"), "\(validated.stderr)")
        }
    }
}
