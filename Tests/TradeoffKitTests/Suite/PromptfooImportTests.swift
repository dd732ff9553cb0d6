import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// `tradeoff import promptfoo` on configs written from promptfoo's documented examples: the
/// suite and catalog it writes pass `validate`, and what it leaves out is listed with why.
struct PromptfooImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/promptfoo").path

    /// Converts a fixture, writes the result to a temporary folder, and returns it with the
    /// errors `validate` finds in the suite (a judge that is also a candidate is only a warning).
    private func convert(_ name: String) throws -> (PromptfooImport.Result, String) {
        let result = try PromptfooImport.convert(configPath: Self.fixtures + "/\(name)/promptfooconfig.yaml")
        return try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", result.suiteYAML)
            try directory.write("models.yaml", result.catalogYAML)
            let diagnostics = SuiteLoader().validate(path: directory.file("suite.yaml")).filter { $0.severity == .error }
            return (result, diagnostics.map(\.description).joined(separator: "\n"))
        }
    }

    @Test func theTranslationGuideConverts() throws {
        let (result, diagnostics) = try convert("translation")
        #expect(diagnostics == "")
        #expect((result.taskCount, result.caseCount, result.modelCount) == (2, 2, 2))
        #expect(result.suiteYAML.contains(#"prompt: "Translate to {{language}}: {{input}}""#))
        #expect(result.suiteYAML.contains(#"{type: "json-valid", extract: "json"}"#))
        #expect(result.suiteYAML.contains(#"{type: "judge", model: "gpt-5-mini", rubric: "does not describe self as an AI, model, or chatbot"}"#))
        #expect(result.skipped.map(\.description) == [
            "providers[1]: 'vertex:gemini-2.0-flash-exp' is called through Vertex AI in promptfoo; converted to the Gemini API (key in GEMINI_API_KEY)",
            "tests[0].assert[1]: 'javascript' runs code; rewrite it as a 'command' grader (a script reading the answer as JSON on stdin)",
            "tests[1].assert[0]: 'similar' compares embeddings in promptfoo; Tradeoff's 'similarity' compares the text (check the threshold)",
        ])
    }

    @Test func csvTestsAndTheirExpectedColumnConvert() throws {
        let (result, diagnostics) = try convert("csv-tests")
        #expect(diagnostics == "")
        #expect((result.taskCount, result.caseCount, result.modelCount) == (1, 4, 3))
        #expect(result.suiteYAML.contains(#"{type: "contains-any", ignore_case: true, values: ["red", "blue", "yellow"]}"#))
        #expect(result.suiteYAML.contains(#"{type: "judge", model: "mini", rubric: "says no and explains the sky is blue"}"#))
        #expect(result.catalogYAML.contains(#"model: "claude-sonnet-4-5-20250929""#))
        #expect(result.skipped.map(\.description) == [
            "providers[0].config.temperature: per-model sampling is not kept: Tradeoff sets temperature and max_tokens per task (defaults:), the same for every model",
            "providers[3]: provider 'exec' has no Tradeoff counterpart; add the model to the catalog by hand (an OpenAI-compatible server takes 'base_url')",
            "tests.csv:6.assert[0]: 'javascript' runs code; rewrite it as a 'command' grader (a script reading the answer as JSON on stdin)",
            "tests.csv:6: no assertion Tradeoff can grade, so the case was left out (Tradeoff grades every case)",
        ])
    }

    @Test func defaultTestNegationsAndAJSONLFileConvert() throws {
        let (result, diagnostics) = try convert("support")
        #expect(diagnostics == "")
        #expect((result.taskCount, result.caseCount, result.modelCount) == (2, 3, 2))
        #expect(result.suiteYAML.contains("defaults: {threshold: 0.8, repeats: 3}"))
        #expect(result.suiteYAML.contains(#"{type: "contains", ignore_case: true, not: true, value: "as an AI"}"#))
        #expect(result.suiteYAML.contains(#"{type: "json-schema", schema: {type: "object"}}"#))
        #expect(result.skipped.map(\.description) == [
            "tests[2].vars.message: a list or mapping var (promptfoo expands combinations) is not converted; write one case per value",
            "tests[2].assert[0]: Tradeoff measures latency for every call; use a gate (run --gate) rather than an assertion",
            "tests[2]: left out, since a var of it could not be converted",
        ])
    }

    @Test func aConfigWithoutPromptsIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("promptfooconfig.yaml", "providers: [openai:gpt-4o]\ntests: []\n")
            #expect(throws: PromptfooImport.Failure.self) { try PromptfooImport.convert(configPath: path) }
        }
    }
}
