import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Suite, catalog and dataset files written to a fresh temporary folder. Diagnostics are
/// rendered with the folder stripped, so tests read `suites/x.yaml:3:5: error: ...`.
final class SuiteFixture {
    let directory: TemporaryDirectory
    let environment: [String: String]

    /// A catalog with one frontier and one open model, used unless a test writes its own.
    static let catalog = """
        models:
          - id: gpt-4o
            base_url: https://api.openai.com/v1
            model: gpt-4o-2024-08-06
            class: frontier
            api_key_env: OPENAI_API_KEY
          - id: llama-3.3-70b
            base_url: http://localhost:8000/v1
            model: meta-llama/Llama-3.3-70B-Instruct
            class: open

        """

    init(_ files: [String: String], environment: [String: String] = [:], catalog: String? = SuiteFixture.catalog) throws {
        directory = try TemporaryDirectory("tradeoff-suite-test")
        self.environment = environment
        if let catalog { try directory.write("suites/models.yaml", catalog) }
        for (name, text) in files { try directory.write(name, text) }
    }

    deinit { directory.remove() }

    var loader: SuiteLoader { SuiteLoader(environment: environment) }

    func path(_ name: String) -> String { directory.file(name) }

    /// Diagnostics as printed, with the temporary folder removed from file names.
    func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(\.description).joined(separator: "\n").replacingOccurrences(of: directory.path + "/", with: "")
    }

    func load(_ suite: String = "suites/x.yaml", catalog: String? = nil) throws -> LoadedSuite {
        try loader.load(suitePath: path(suite), catalogPath: catalog.map(path))
    }

    /// The rendered diagnostics of loading `suite`; fails the test if it loads.
    func errors(_ suite: String = "suites/x.yaml", catalog: String? = nil,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try load(suite, catalog: catalog)
            Issue.record("expected \(suite) to fail to load", sourceLocation: sourceLocation)
            return ""
        } catch let error as DiagnosticsError {
            return render(error.diagnostics)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return ""
        }
    }

    /// The rendered diagnostics of `validate`.
    func validate(_ name: String) -> String { render(loader.validate(path: path(name))) }
}

/// The suite fixtures checked into `Fixtures/suites`.
enum SuiteFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/suites").path

    static func path(_ name: String) -> String { folder + "/" + name }
}
