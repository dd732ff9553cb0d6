import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// A user's own suite (not the demo: none of its prompts is a demo phrasing), dry-run end to end
/// on the fake provider's simulated models (`answers_from:` + `simulated:`): the built
/// `tradeoff` grades their answers with numeric, choice, exact and JSON graders.
struct SimulatedSuiteTests {
    let tradeoff = builtProduct("tradeoff")
    let fakeProvider = builtProduct("fake-provider")

    /// 40 cases in four tasks, one grader kind each, and three models that differ only in accuracy,
    /// on the fake provider at `$SIM_PORT` (the provider loads the suite before it has a port).
    private func write(_ directory: TemporaryDirectory) throws {
        let sums = (1...10).map { "      - {id: n\($0), vars: {a: \"\($0 * 7)\", b: \"\($0 * 3).5\", sum: \"\(Double($0 * 10) + 0.5)\"}}" }
        let letters = ["A", "B", "C", "D"]
        let quiz = (1...10).map { "      - {id: q\($0), vars: {n: \"\($0)\", letter: \(letters[$0 % 4])}}" }
        let cities = ["Paris", "Rome", "Madrid", "Lisbon", "Vienna", "Berlin", "Oslo", "Bern", "Dublin", "Athens"]
        let capitals = cities.enumerated().map { "      - {id: k\($0.offset + 1), vars: {city: \($0.element)}}" }
        let people = (1...10).map { "      - {id: p\($0), vars: {name: \"Ann Lee \($0)\", age: \"\(20 + $0)\"}}" }
        try directory.write("mine.yaml", """
            suite: mine
            models: mine.models.yaml
            tasks:
              - id: totals
                prompt: "Add {{a}} and {{b}}. Reply with the total only."
                graders: [{type: numeric, expected: "{{sum}}", tolerance: 0.01}]
                cases:
            \(sums.joined(separator: "\n"))
              - id: quiz
                prompt: "Question {{n}} of the quiz: pick A, B, C or D."
                graders: [{type: choice, expected: "{{letter}}", options: [A, B, C, D]}]
                cases:
            \(quiz.joined(separator: "\n"))
              - id: capitals
                system: You answer geography questions with one word.
                prompt: "Which capital is this clue about? Clue number for {{city}}."
                graders: [{type: exact, expected: "{{city}}", normalize: [trim, strip-punctuation], ignore_case: true}]
                cases:
            \(capitals.joined(separator: "\n"))
              - id: people
                prompt: "Describe {{name}}, aged {{age}}, as JSON with name and age."
                graders:
                  - type: json-schema
                    extract: json
                    schema:
                      type: object
                      required: [name, age]
                      additionalProperties: false
                      properties: {name: {type: string}, age: {type: integer, minimum: 0}}
                  - {type: json-path, path: $.name, equals: "{{name}}"}
                  - {type: json-path, path: $.age, equals: "{{age}}"}
                cases:
            \(people.joined(separator: "\n"))
            """)
        let models = [("perfect", 1.0), ("hopeless", 0.0), ("decent", 0.7)].map { id, _ in
            "  - {id: \(id), provider: openai-compatible, base_url: \"http://127.0.0.1:${SIM_PORT:-1}/v1\", model: sim/\(id), class: open, simulated: true}"
        }
        try directory.write("mine.models.yaml", "models:\n" + models.joined(separator: "\n") + "\n")
    }

    private static let config = """
        answers_from: mine.yaml
        models:
          - {name: sim/perfect, simulated: {accuracy: 1.0}}
          - {name: sim/hopeless, simulated: {accuracy: 0.0}}
          - {name: sim/decent, simulated: {accuracy: 0.7}}
        """

    /// Per model: the ids (`task/case`) of the cases that passed in the last run of `r.sqlite`,
    /// and how many calls were graded without a grader error.
    private func passed(_ directory: TemporaryDirectory) throws -> [String: (passed: Set<String>, graded: Int)] {
        let database = try DatabaseQueue(path: directory.file("r.sqlite"))
        let rows = try database.read {
            try Row.fetchAll($0, sql: """
                SELECT model_id, task_id, case_id, passed FROM calls_with_run
                WHERE run_id = (SELECT MAX(id) FROM runs) AND error_class IS NULL
                """)
        }
        var result: [String: (passed: Set<String>, graded: Int)] = [:]
        for row in rows {
            let model: String = row["model_id"]
            var entry = result[model] ?? ([], 0)
            entry.graded += 1
            if (row["passed"] as Int?) == 1 { entry.passed.insert("\(row["task_id"] as String)/\(row["case_id"] as String)") }
            result[model] = entry
        }
        return result
    }

    @Test func simulatedModelsAnswerAUserSuiteAtTheirAccuracy() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try directory.write("fake.yaml", Self.config)
            let config = try FakeProviderConfig(contentsOf: directory.file("fake.yaml"))
            #expect(config.answerKey?.count == 40)
            let server = try FakeProviderServer.start(config: config)
            defer { server.shutdown() }

            var runs: [[String: (passed: Set<String>, graded: Int)]] = []
            for _ in 1...2 {
                let run = try runProcess(tradeoff, ["run", "mine.yaml", "--db", "r.sqlite", "--cache", "off", "--quiet"],
                                         environment: ["SIM_PORT": "\(server.port)"], directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                runs.append(try passed(directory))
            }
            let first = try #require(runs.first)
            #expect(first["perfect"]?.graded == 40 && first["perfect"]?.passed.count == 40)
            #expect(first["hopeless"]?.graded == 40 && first["hopeless"]?.passed.isEmpty == true,
                    "hopeless passed \(first["hopeless"]?.passed.sorted() ?? [])")
            let decent = try #require(first["decent"])
            #expect(decent.graded == 40)
            // 28 of 40 at 0.7; the golden-ratio draw keeps any run of cases within about two.
            #expect((26...30).contains(decent.passed.count), "decent passed \(decent.passed.count) of 40")
            // Every task sees right and wrong answers, not one task all wrong.
            for task in ["totals", "quiz", "capitals", "people"] {
                let count = decent.passed.filter { $0.hasPrefix(task + "/") }.count
                #expect((4...9).contains(count), "decent passed \(count) of 10 in \(task)")
            }
            #expect(runs[1]["decent"]?.passed == decent.passed, "the same cases pass in a second run")
            #expect(server.requestCount(model: "sim/decent") == 80)
        }
    }

    @Test func theWrongAnswersArePlausible() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try directory.write("fake.yaml", Self.config)
            let server = try FakeProviderServer.start(config: try FakeProviderConfig(contentsOf: directory.file("fake.yaml")))
            defer { server.shutdown() }
            let run = try runProcess(tradeoff, ["run", "mine.yaml", "--db", "r.sqlite", "--only-models", "hopeless", "--quiet"],
                                     environment: ["SIM_PORT": "\(server.port)"], directory: directory.path)
            #expect(run.status == 0, "\(run.stderr)")
            let database = try DatabaseQueue(path: directory.file("r.sqlite"))
            let outputs = try database.read {
                try [String: String](uniqueKeysWithValues: Row.fetchAll($0, sql: "SELECT task_id || '/' || case_id AS id, output FROM calls_with_run")
                    .map { ($0["id"], $0["output"]) })
            }
            // A near number (10.5 ± a few hundredths), another letter, one letter dropped, one field changed.
            let totalText = try #require(outputs["totals/n1"])
            let total = try #require(Double(totalText))
            #expect(total != 10.5 && abs(total - 10.5) < 0.1, "\(total)")
            #expect(["A", "C", "D"].contains(outputs["quiz/q1"] ?? ""), "\(outputs["quiz/q1"] ?? "")")
            let city = try #require(outputs["capitals/k1"])
            #expect(city.count == 4 && city != "Paris", "\(city)")
            let person = try #require(outputs["people/p1"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(person.utf8)) as? [String: Any])
            let changed = (object["name"] as? String != "Ann Lee 1") != (object["age"] as? Int != 21)
            #expect(changed, "exactly one field changed: \(person)")
        }
    }

    @Test func aTaskCanHaveItsOwnAccuracy() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try directory.write("fake.yaml", """
                answers_from: mine.yaml
                models:
                  - {name: sim/perfect, simulated: {accuracy: 1.0}}
                  - {name: sim/hopeless, simulated: {accuracy: 0.0, tasks: {quiz: 1.0}}}
                  - {name: sim/decent, simulated: {accuracy: 1.0, tasks: {capitals: 0.0, people: 0.7}}}
                """)
            let config = try FakeProviderConfig(contentsOf: directory.file("fake.yaml"))
            #expect(config.models[1].simulated == .init(accuracy: 0, tasks: ["quiz": 1]))
            #expect(config.models[2].simulated == .init(accuracy: 1, tasks: ["capitals": 0, "people": 0.7]))
            let server = try FakeProviderServer.start(config: config)
            defer { server.shutdown() }
            let run = try runProcess(tradeoff, ["run", "mine.yaml", "--db", "r.sqlite", "--quiet"],
                                     environment: ["SIM_PORT": "\(server.port)"], directory: directory.path)
            #expect(run.status == 0, "\(run.stderr)")
            let results = try passed(directory)
            func count(_ model: String, _ task: String) -> Int {
                results[model]?.passed.filter { $0.hasPrefix(task + "/") }.count ?? -1
            }
            // Right on the task named, wrong everywhere else.
            #expect(["totals", "quiz", "capitals", "people"].map { count("hopeless", $0) } == [0, 10, 0, 0])
            #expect(count("decent", "totals") == 10 && count("decent", "quiz") == 10 && count("decent", "capitals") == 0)
            // 7 of 10 at 0.7, give or take the golden-ratio sequence's two cases.
            #expect((5...9).contains(count("decent", "people")), "decent passed \(count("decent", "people")) of 10 people")
        }
    }

    @Test(arguments: [
        ("      tsks: {quiz: 1}", "fake.yaml:6:7: error: unknown key 'tsks' in simulated (did you mean 'tasks'?)"),
        ("      tasks: {quizz: 1}", "fake.yaml:6:15: error: unknown task 'quizz' in simulated tasks: 'mine.yaml' has no such task "
            + "(did you mean 'quiz'?)"),
        ("      tasks: {refunds: 1}", "fake.yaml:6:15: error: unknown task 'refunds' in simulated tasks: 'mine.yaml' has no such "
            + "task; its tasks are totals, quiz, capitals, people"),
        ("      tasks: {quiz: 1.5}", "fake.yaml:6:21: error: the accuracy on task 'quiz' must be a number between 0 and 1, got '1.5'"),
        ("      tasks: [quiz]", "fake.yaml:6:14: error: tasks must be a mapping of task ids to accuracies, like {triage: 0.97}"),
    ])
    func aTaskAccuracyIsCheckedWhereItIsWritten(_ line: String, _ expected: String) throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try directory.write("fake.yaml", "answers_from: mine.yaml\nmodels:\n  - name: sim/a\n    simulated:\n"
                                + "      accuracy: 0.5\n\(line)\n")
            let error = try #require(throws: FakeProviderError.self) {
                try FakeProviderConfig(contentsOf: directory.file("fake.yaml"))
            }
            #expect(error.description.hasSuffix(expected), "\(error.description)")
            #expect(error.isBadInput)
        }
    }

    @Test func simulatedWithoutAnAnswerKeyIsALocatedError() throws {
        try withTemporaryDirectory { directory in
            try directory.write("fake.yaml", """
                models:
                  - name: sim/a
                    simulated: {accuracy: 0.8}
                """)
            let result = try runProcess(fakeProvider, ["--config", "fake.yaml"], directory: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("fake.yaml:3:16: error: 'simulated' answers a suite's cases: "
                                           + "add 'answers_from: SUITE.yaml' at the top of the config"), "\(result.stderr)")
        }
    }

    @Test func anAnswerKeyThatDoesNotLoadShowsTheSuitesOwnErrors() throws {
        try withTemporaryDirectory { directory in
            try directory.write("fake.yaml", "answers_from: broken.yaml\nmodels: [{name: sim/a, simulated: {}}]\n")
            try directory.write("broken.yaml", "suite: broken\nmodels: m.yaml\ntasks:\n  - id: t\n    prompt: hi\n    graders: [{type: exakt, expected: x}]\n    cases: [{id: c}]\n")
            try directory.write("m.yaml", "models:\n  - {id: a, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", model: sim/a, class: open}\n")
            let result = try runProcess(fakeProvider, ["--config", "fake.yaml"], directory: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("fake.yaml:1:15: error: the suite 'broken.yaml' does not load:"), "\(result.stderr)")
            #expect(result.stderr.contains("broken.yaml:6:22: error: unknown grader type 'exakt' (did you mean 'exact'?)"),
                    "\(result.stderr)")
        }
    }
}
