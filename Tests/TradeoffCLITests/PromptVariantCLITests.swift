import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Prompt variants end to end: the built binary plans, runs and reports a suite whose task has
/// two wordings, against the fake provider; the reference is a (model, variant) arm.
struct PromptVariantCLITests {
    let tradeoff = builtProduct("tradeoff")

    private func write(_ directory: TemporaryDirectory, port: Int) throws {
        try directory.write("suite.yaml", """
            suite: wordings
            models: models.yaml
            reference: a
            reference_prompt: compute
            tasks:
              - id: sums
                prompts:
                  - {id: compute, prompt: "Compute: {{a}} + 1"}
                  - {id: ask, prompt: "What is {{a}} plus one?"}
                graders: [{type: exact, expected: "{{sum}}"}]
                cases:
                  - {id: s1, vars: {a: "1", sum: "2"}}
                  - {id: s2, vars: {a: "2", sum: "3"}}
                  - {id: s3, vars: {a: "3", sum: "4"}}
            """)
        try directory.write("models.yaml", """
            models:
              - {id: a, base_url: "http://127.0.0.1:\(port)/v1", model: sim/a, class: frontier, price: {input: 1, output: 2}}
              - {id: b, base_url: "http://127.0.0.1:\(port)/v1", model: sim/b, class: open, price: {input: 0.1, output: 0.2}}
            """)
    }

    @Test func aVariantSuitePlansRunsAndReportsEachArm() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                try write(directory, port: server.port)
                let plan = try runProcess(tradeoff, ["plan", "suite.yaml"], directory: directory.path)
                #expect(plan.status == 0, "\(plan.stderr)")
                #expect(plan.stdout.contains("3 cases × 2 prompt variants × 2 models = 12 calls"), "\(plan.stdout)")
                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--no-cache"],
                                         directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                let rows = try database.read {
                    try Row.fetchAll($0, sql: "SELECT model_id, case_id, prompt_variant, passed FROM calls ORDER BY model_id, case_id, prompt_variant")
                }
                #expect(rows.count == 12)
                #expect(Set(rows.map { "\($0[0] as String)/\($0[1] as String)/\($0[2] as String)" }).count == 12)
                #expect(rows.filter { ($0[2] as String) == "compute" }.allSatisfy { $0[3] as Bool })
                #expect(rows.filter { ($0[2] as String) == "ask" }.allSatisfy { !($0[3] as Bool) })

                let markdown = try String(contentsOfFile: directory.file("reports/wordings.md"), encoding: .utf8)
                #expect(markdown.contains("| a · compute (reference) |"))
                #expect(markdown.contains("## Prompt variants"))
                #expect(markdown.contains("Best: **compute** on a and b."), "\(markdown)")
                let html = try String(contentsOfFile: directory.file("reports/wordings.html"), encoding: .utf8)
                #expect(html.contains("Prompt variants"))
                let calls = try String(contentsOfFile: directory.file("reports/wordings.calls.csv"), encoding: .utf8)
                #expect(calls.components(separatedBy: "\r\n")[0].hasSuffix(",started_at,prompt_variant"))
                // Each row names the model alone and its variant last.
                let callRows = calls.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                #expect(callRows.count == 12)
                #expect(callRows.filter { $0.hasSuffix(",compute") }.count == 6 && callRows.filter { $0.hasSuffix(",ask") }.count == 6)
                #expect(Set(callRows.map { String($0.split(separator: ",")[2]) }) == ["a", "b"])
                let json = try String(contentsOfFile: directory.file("reports/wordings.json"), encoding: .utf8)
                #expect(json.contains(#""prompt_variants" : {"#))

                // `--reference` names an arm; a model's id alone is not one when the run has variants.
                let report = try runProcess(tradeoff, ["report", "r.sqlite", "--reference", "b · compute", "--out", "other"],
                                            directory: directory.path)
                #expect(report.status == 0, "\(report.stderr)")
                let other = try String(contentsOfFile: directory.file("other/wordings.md"), encoding: .utf8)
                #expect(other.contains("| b · compute (reference) |"))
            }
        }
    }
}
