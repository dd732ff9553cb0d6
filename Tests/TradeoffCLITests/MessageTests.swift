import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// The lines `run`, `plan` and `merge` print about what happened, pinned word for word: the
/// start line, replays, stopped models, grader errors, failed calls, the budget, unpriced models
/// and the flags they refuse.
struct MessageTests {
    let tradeoff = builtProduct("tradeoff")
    private let key = "sk-message-test-key"

    private func tradeoff(_ arguments: [String], port: Int = 1, in directory: TemporaryDirectory) throws -> ProcessResult {
        try runProcess(tradeoff, arguments, environment: ["FAKE_PROVIDER_PORT": "\(port)", "MESSAGE_TEST_KEY": key],
                       directory: directory.path)
    }

    private static let suite = """
        suite: messages
        models: models.yaml
        defaults: {max_tokens: 16}
        tasks:
          - id: sums
            prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
            graders:
              - {type: exact, expected: "{{sum}}", normalize: [trim]}
              - {type: command, command: ["false"]}
            cases:
              - {id: one, vars: {a: "1", b: "2", sum: "3"}}
              - {id: two, vars: {a: "20", b: "22", sum: "42"}}
              - {id: three, vars: {a: "7", b: "8", sum: "15"}}
              - {id: four, vars: {a: "1", b: "1", sum: "2"}}
        """

    private static func catalog(good: String = "sim/good", price: String = "price: {input: 2.50, output: 10.00}") -> String {
        """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: \(good)
            class: frontier
            \(price)
            api_key_env: MESSAGE_TEST_KEY
            max_concurrency: 1
        """
    }

    @Test func aRunSaysWhatItDidAndWhatWentWrong() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good")]) { server in
                try directory.write("suite.yaml", Self.suite)
                try directory.write("models.yaml", Self.catalog())
                let first = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--cache", "on", "--no-report"],
                                         port: server.port, in: directory)
                let lines = first.stderr.split(separator: "\n").map(String.init)
                #expect(lines.first == "running 'messages': 4 cases × 1 model = 4 calls → r.sqlite (cache on)")
                #expect(lines.contains("4 grader errors (a grader could not grade an answer); see the Grading section "
                                       + "of the report or the grader_errors column"))

                let replay = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--cache", "on", "--no-report", "--quiet"],
                                          port: server.port, in: directory)
                #expect(replay.stdout.split(separator: "\n").contains(
                    "4 answers replayed from the cache (nothing spent on them; --cache write makes every call)"))
            }
        }
    }

    @Test func aModelThatCannotAnswerIsStoppedAndItsFailuresCounted() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good")]) { server in
                try directory.write("suite.yaml", Self.suite)
                try directory.write("models.yaml", Self.catalog(good: "sim/unknown"))
                let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                          port: server.port, in: directory)
                #expect(result.status == 3)
                let lines = result.stderr.split(separator: "\n").map(String.init)
                #expect(lines.contains { $0.hasPrefix("stopped good: 3 calls in a row failed with not_found (HTTP 404): ")
                    && $0.hasSuffix("; its remaining cases were not run") }, "\(result.stderr)")
                #expect(lines.contains("3 calls failed; see the Errors section of the report or the error_class column"),
                        "\(result.stderr)")
            }
        }
    }

    @Test func theBudgetSaysHowManyCallsItHeldBack() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good")]) { server in
                try directory.write("suite.yaml", Self.suite)
                try directory.write("models.yaml", Self.catalog())
                // One call's worst case is about 25 input tokens at $2.50/M plus 16 output at
                // $10/M, ~$0.0002: a $0.0003 budget allows one call, never two at once.
                let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet",
                                           "--budget-usd", "0.0003"], port: server.port, in: directory)
                #expect(result.status == 3)
                let lines = result.stderr.split(separator: "\n").map(String.init)
                #expect(lines.contains { $0.hasPrefix("stopped by the budget: ")
                    && $0.hasSuffix(" calls were not started, so that the spend stays within $0.0003 even if every call "
                                    + "in flight had used all its max_tokens; raise --budget-usd to run them") },
                        "\(result.stderr)")
            }
        }
    }

    @Test func aPlanNamesTheModelsItCannotPrice() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", Self.suite)
            try directory.write("models.yaml", Self.catalog(price: ""))
            let result = try tradeoff(["plan", "suite.yaml"], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(separator: "\n").contains("unpriced (cost unknown, not in the total): good"),
                    "\(result.stdout)")
        }
    }

    @Test(arguments: [
        (["run", "suite.yaml", "--max-backoff", "0"], "--max-backoff must be more than 0 seconds"),
        (["run", "suite.yaml", "--retry-errors"], "--retry-errors goes with --resume (it re-makes a run's failed calls)"),
        (["merge", "-o", "all.sqlite"], "Missing expected argument '<databases> ...'"),
        (["merge", "a.sqlite", "-o", "a.sqlite"], "-o must not be one of the databases being merged"),
    ])
    func badFlagsAreRefusedWithWhatToDo(arguments: [String], message: String) throws {
        try withTemporaryDirectory { directory in
            let result = try tradeoff(arguments, in: directory)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("Error: \(message)\n"), "\(result.stderr)")
        }
    }
}
