import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Every grader type in one run against the fake provider (judges included), its report, and
/// `tradeoff grade` re-grading the stored answers.
struct GradeTests {
    let tradeoff = builtProduct("tradeoff")

    private func tradeoff(_ arguments: [String], environment: [String: String] = [:], in directory: String) throws -> ProcessResult {
        try runProcess(tradeoff, arguments, environment: environment, directory: directory)
    }

    static let suite = #"""
        suite: every-grader
        models: {catalog: models.yaml, only: [good, cheap]}
        defaults: {max_tokens: 64, threshold: 0.5}
        tasks:
          - id: sums
            prompt: "Compute: {{a}} + {{b}}\nAnswer with the number only."
            graders:
              - {type: exact, expected: "{{sum}}", normalize: [trim], metric: accuracy}
              - {type: numeric, expected: "{{sum}}", tolerance: 0.5, metric: accuracy}
              - {type: contains, value: "{{sum}}"}
              - {type: not-contains, value: sorry, ignore_case: true}
              - {type: starts-with, value: "{{sum}}"}
              - {type: regex, pattern: '^(?<digits>-?\d+)$'}
              - {type: length, max: 10, on: digits}
              - {type: similarity, expected: "{{sum}}", threshold: 0.5, metric: closeness}
              - {type: rouge-l, expected: "{{sum}}", metric: closeness}
              - {type: bleu, references: ["{{sum}}", "{{sum}} exactly"], metric: closeness}
              - {type: choice, expected: A, not: true, weight: 0.5}
              - {type: judge, rubric: "The answer must be {{sum}}.", model: judge, metric: judged}
              - {type: command, command: [sh, graders/check.sh], expected: "{{sum}}", metric: accuracy}
            cases:
              - {id: one, vars: {a: "1", b: "2", sum: "3"}}
              - {id: two, vars: {a: "20", b: "22", sum: "42"}}
              - {id: three, vars: {a: "7", b: "8", sum: "15"}}
              - {id: four, vars: {a: "100", b: "23", sum: "123"}}
          - id: people
            prompt: "Return a JSON object with keys \"name\" and \"age\". Answer with the JSON only.\nPerson: {{name}} is {{age}} years old."
            graders:
              - {type: json-valid, extract: json, metric: structure}
              - {type: json-schema, schema_file: person.schema.json, metric: structure}
              - {type: json-path, path: $.age, equals: "{{age}}", metric: accuracy}
              - {type: contains-all, values: ['"name"', '"age"']}
              - {type: contains-any, values: ["{{name}}", nobody]}
            cases:
              - {id: ana, vars: {name: Ana Lima, age: "31"}}
              - {id: zoe, vars: {name: Zoë Brandt, age: "47"}}
          - id: triage
            prompt: "Classify the ticket as billing, bug, feature or other. Answer with one word.\nTicket: {{ticket}}"
            graders:
              - {type: one-of, labels: [billing, bug, feature, other], expected: "{{label}}", ignore_case: true, metric: accuracy}
              - {type: judge, rubric: "The label must fit the ticket.", models: [judge, judge-2], scale: [1, 5], metric: judged}
            cases:
              - {id: t1, vars: {ticket: I was charged twice this month., label: billing}}
              - {id: t2, vars: {ticket: The app crashes when I upload a photo., label: bug}}
              - {id: t3, vars: {ticket: Please add support for dark mode., label: feature}}
        """#

    static let schema = #"""
        {"type": "object", "required": ["name", "age"],
         "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0}},
         "additionalProperties": false}
        """#

    /// Passes when the answer is the expected value, from the JSON on standard input.
    static let command = #"""
        input=$(cat)
        answer=$(printf '%s' "$input" | sed -n 's/.*"answer":"\([^"]*\)".*/\1/p')
        expected=$(printf '%s' "$input" | sed -n 's/.*"expected":"\([^"]*\)".*/\1/p')
        if [ "$answer" = "$expected" ]; then
          echo '{"score": 1, "passed": true, "reason": "same as expected"}'
        else
          echo '{"score": 0, "passed": false, "reason": "not '"$expected"'"}'
        fi
        """#

    private func catalog() -> String {
        func entry(_ id: String, _ served: String, _ modelClass: String, _ price: String) -> String {
            """
              - id: \(id)
                base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
                model: \(served)
                class: \(modelClass)
                price: \(price)
                api_key_env: TRADEOFF_CLI_TEST_KEY
                stream: false

            """
        }
        return "models:\n" + entry("good", "sim/good", "frontier", "{input: 2.50, output: 10.00}")
            + entry("cheap", "sim/cheap", "open", "{input: 0.04, output: 0.10}")
            + entry("judge", "sim/judge", "frontier", "{input: 3.00, output: 15.00}")
            + entry("judge-2", "sim/judge-2", "frontier", "{input: 1.00, output: 4.00}")
    }

    private let key = "sk-grade-test-0123456789"

    private func write(_ directory: TemporaryDirectory, suite: String = GradeTests.suite) throws {
        try directory.write("suite.yaml", suite)
        try directory.write("models.yaml", catalog())
        try directory.write("person.schema.json", Self.schema)
        try directory.write("graders/check.sh", Self.command)
    }

    /// Per call: model/task/case → (score, passed, every grader's type, score, pass and error).
    private func grades(_ database: DatabaseQueue, run: Int) throws -> [String: String] {
        try database.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE run_id = ?", arguments: [run]) {
                let key = "\(row["model_id"] as String)/\(row["task_id"] as String)/\(row["case_id"] as String)"
                let outcomes = try JSONSerialization.jsonObject(with: Data((row["grades"] as String).utf8)) as! [[String: Any]]
                let graders = outcomes.map { "\($0["type"]!):\($0["score"]!):\($0["passed"]!):\($0["error"] ?? false)" }
                result[key] = "\(row["score"] as Double?, default: "nil") \(row["passed"] as Bool) \(graders.joined(separator: ","))"
            }
            return result
        }
    }

    @Test func everyGraderTypeRunsAndReGradingGivesTheSameScores() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [
                .init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0.5),
                .init(name: "sim/judge", accuracy: 0.9, unparseableVerdicts: 0.2), .init(name: "sim/judge-2", accuracy: 0.7),
            ]) { server in
                try write(directory)
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": key]
                let validated = try tradeoff(["validate", "suite.yaml"], environment: environment, in: directory.path)
                #expect(validated.status == 0 && validated.stderr.isEmpty, "\(validated.stderr)")

                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                #expect(run.stdout.contains(#/run 1 completed: 18 answered, 0 failed, 0 not started, \$[0-9.]+ spent \(\+ \$[0-9.]+ judging\)/#))

                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                let typesUsed = try database.read { db in
                    try String.fetchAll(db, sql: "SELECT grades FROM calls WHERE run_id = 1")
                }.flatMap { grades in (grades.matches(of: /"type":"([a-z-]+)"/).map { String($0.output.1) }) }
                #expect(Set(typesUsed).count == 19)
                let (judgeRows, linked, judgeCost, callJudgeCost) = try database.read { db in
                    (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judge_calls WHERE run_id = 1")!,
                     try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judge_calls j JOIN calls c ON c.id = j.call_id WHERE j.run_id = 1")!,
                     try Int64.fetchOne(db, sql: "SELECT SUM(cost_micros) FROM judge_calls WHERE run_id = 1")!,
                     try Int64.fetchOne(db, sql: "SELECT SUM(judge_cost_micros) FROM calls WHERE run_id = 1")!)
                }
                // 8 sums judged once and 6 tickets judged twice, plus any retries after unreadable verdicts.
                #expect(judgeRows >= 20 && linked == judgeRows)
                #expect(judgeCost == callJudgeCost && judgeCost > 0)

                let report = try String(contentsOfFile: directory.file("rep/every-grader.md"), encoding: .utf8)
                #expect(report.contains("## Grading"))
                #expect(report.contains("| Model | accuracy | closeness | judged | structure |"))
                #expect(report.contains("**Cost of evaluating.** The judges made "))
                #expect(report.contains("apart from the candidates' $"))
                #expect(report.contains(#/\| judge \| \d+ \| \d+ \| 0 \| \d+ \| \$[0-9.]+ \|/#))
                #expect(report.contains(#/\| judge-2 \| \d+ \| \d+ \| 0 \| \d+ \| \$[0-9.]+ \|/#))
                #expect(report.contains(#/Judges judge and judge-2 agree on pass or fail for \d+% of \d answers? \(triage / judged\)/#))

                // Graders unchanged: the same scores, the judges' verdicts reused, no judge paid again.
                let regraded = try tradeoff(["grade", "r.sqlite", "--out", "rep2"], environment: environment, in: directory.path)
                #expect(regraded.status == 0, "stderr: \(regraded.stderr)")
                #expect(regraded.stdout.contains(#/run 2 graded from run 1 with the graders of suite.yaml: 18 answers graded, 0 changed; judges: \d+ verdicts reused, \d+ calls/#))
                #expect(try grades(database, run: 2) == grades(database, run: 1))
                let gradedFrom = try database.read { db in try Int64.fetchOne(db, sql: "SELECT graded_from FROM runs WHERE id = 2") }
                #expect(gradedFrom == 1)
                let (reused, copiedCost) = try database.read { db in
                    (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judge_calls WHERE run_id = 2 AND reused_from IS NOT NULL")!,
                     try Int64.fetchOne(db, sql: "SELECT SUM(cost_micros) FROM calls WHERE run_id = 2")!)
                }
                // Every verdict is reused; only judges that gave none are asked again.
                let verdicts = try database.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judge_calls WHERE run_id = 1 AND score IS NOT NULL")!
                }
                #expect(reused == verdicts)
                #expect(copiedCost == (try database.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(cost_micros) FROM calls WHERE run_id = 1")! }))

                // A grader fixed: only its grades change, and no candidate model is called.
                let requestsBefore = server.requestCount(model: "sim/good")
                try directory.write("suite.yaml", Self.suite.replacingOccurrences(
                    of: #"{type: starts-with, value: "{{sum}}"}"#, with: #"{type: starts-with, value: "{{sum}}", not: true}"#))
                let fixed = try tradeoff(["grade", "r.sqlite", "--run", "1", "--no-report"], environment: environment,
                                         in: directory.path)
                #expect(fixed.status == 0, "stderr: \(fixed.stderr)")
                #expect(fixed.stdout.contains("run 3 graded from run 1 with the graders of suite.yaml: 18 answers graded, "))
                #expect(!fixed.stdout.contains(", 0 changed"))
                #expect(server.requestCount(model: "sim/good") == requestsBefore)
            }
        }
    }

    @Test func runWarnsAboutAJudgeThatIsACandidateAndNeedsJudgesKeys() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good"), .init(name: "sim/cheap"),
                                                       .init(name: "sim/judge"), .init(name: "sim/judge-2")]) { server in
                let suite = """
                    suite: self-judged
                    models: {catalog: models.yaml, only: [good, judge]}
                    tasks:
                      - id: sums
                        prompt: "Compute: {{a}} + {{b}}"
                        graders: [{type: judge, rubric: "Must be {{sum}}.", model: judge}]
                        cases: [{id: one, vars: {a: "1", b: "2", sum: "3"}}]
                    """
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog())
                var environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": key]
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                #expect(run.stderr == """
                    suite.yaml:6:64: warning: judge model 'judge' is also a candidate: it will grade its own answers, which judges tend to favour; use a judge that is not a candidate, or read its grades of itself with care
                        graders: [{type: judge, rubric: "Must be {{sum}}.", model: judge}]
                                                                                   ^

                    """)

                // A judge's key is checked before any call, like a candidate's.
                try directory.write("suite.yaml", suite.replacingOccurrences(of: "only: [good, judge]", with: "only: [good]"))
                try directory.write("models.yaml", catalog().replacingOccurrences(
                    of: "model: sim/judge\n    class: frontier\n    price: {input: 3.00, output: 15.00}\n    api_key_env: TRADEOFF_CLI_TEST_KEY",
                    with: "model: sim/judge\n    class: frontier\n    price: {input: 3.00, output: 15.00}\n    api_key_env: JUDGE_KEY"))
                environment["JUDGE_KEY"] = ""
                let noKey = try tradeoff(["run", "suite.yaml", "--db", "r2.sqlite", "--no-report", "--quiet"],
                                         environment: environment, in: directory.path)
                #expect(noKey.status == 2)
                #expect(noKey.stderr.hasPrefix("models.yaml:16:5: error: environment variable 'JUDGE_KEY' for model 'judge' is not set"))
                #expect(!FileManager.default.fileExists(atPath: directory.file("r2.sqlite")))
            }
        }
    }

    @Test func gradeSaysWhatIsWrongWithItsInput() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            let environment = ["FAKE_PROVIDER_PORT": "1", "TRADEOFF_CLI_TEST_KEY": key]
            let missing = try tradeoff(["grade", "nope.sqlite"], environment: environment, in: directory.path)
            #expect(missing.status == 2)
            #expect(missing.stderr == "error: no results database at 'nope.sqlite'; run `tradeoff run SUITE --db nope.sqlite` first\n")

            _ = try DatabaseQueue(path: directory.file("empty.sqlite"))
            let empty = try tradeoff(["grade", "empty.sqlite"], environment: environment, in: directory.path)
            #expect(empty.status == 2)
            #expect(empty.stderr == "error: 'empty.sqlite' holds no runs yet\n")

        }
    }

    @Test func aSuiteThatNoLongerLoadsIsBadInputAndTheRunIsKept() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good"), .init(name: "sim/cheap"),
                                                       .init(name: "sim/judge"), .init(name: "sim/judge-2")]) { server in
                try write(directory)
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": key]
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")

                let noRun = try tradeoff(["grade", "r.sqlite", "--run", "9"], environment: environment, in: directory.path)
                #expect(noRun.status == 2)
                #expect(noRun.stderr == "error: no run '9' in 'r.sqlite'; runs: 1\n")

                try directory.write("suite.yaml", Self.suite.replacingOccurrences(of: "type: bleu", with: "type: blue"))
                let broken = try tradeoff(["grade", "r.sqlite"], environment: environment, in: directory.path)
                #expect(broken.status == 2)
                #expect(broken.stderr.hasPrefix("suite.yaml:17:16: error: unknown grader type 'blue' (did you mean 'bleu'?)\n"))
                #expect(broken.stderr.hasSuffix("note: run 1 is unchanged; fix the suite (or name another with --suite) and grade again\n"))
                let runs = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs")!
                }
                #expect(runs == 1)
            }
        }
    }
}
