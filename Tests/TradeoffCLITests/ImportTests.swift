import Foundation
import Testing
import TradeoffTestSupport

/// `tradeoff import promptfoo`, end to end: the built binary writes a suite and a catalog that
/// `tradeoff validate` accepts, lists what it did not convert on stderr, and exits 2 on a
/// config it cannot read.
struct ImportTests {
    let tradeoff = builtProduct("tradeoff")

    static let config = """
        prompts:
          - 'Answer briefly: {{question}}'
        providers:
          - openai:gpt-4o-mini
          - http://localhost:9000/api
        tests:
          - vars: {question: What is the capital of France?}
            assert:
              - {type: icontains, value: paris}
              - {type: javascript, value: output.length < 100}

        """

    @Test func importWritesASuiteThatValidates() throws {
        try withTemporaryDirectory { directory in
            try directory.write("promptfooconfig.yaml", Self.config)
            let result = try runProcess(tradeoff, ["import", "promptfoo", "promptfooconfig.yaml", "-o", "suites/qa.yaml"],
                                        directory: directory.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "Wrote suites/qa.yaml (1 task, 1 case) and suites/models.yaml (1 model); 2 notes. "
                    + "Next: tradeoff validate suites/qa.yaml\n")
            #expect(result.stderr == """
                note: providers[1]: provider 'http' has no Tradeoff counterpart; add the model to the catalog by hand (an OpenAI-compatible server takes 'base_url')
                note: tests[0].assert[1]: 'javascript' runs code; rewrite it as a 'command' grader (a script reading the answer as JSON on stdin)

                """)
            let validated = try runProcess(tradeoff, ["validate", "suites/qa.yaml"], directory: directory.path)
            #expect(validated.status == 0, "\(validated.stderr)")
            #expect(validated.stdout == "suites/qa.yaml: ok\n")
        }
    }

    @Test func aMissingConfigExitsTwo() throws {
        try withTemporaryDirectory { directory in
            let result = try runProcess(tradeoff, ["import", "promptfoo", "nope.yaml"], directory: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr == "error: nope.yaml does not exist\n")
            #expect(!FileManager.default.fileExists(atPath: directory.file("suite.yaml")))
        }
    }
}
