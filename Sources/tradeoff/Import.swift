import ArgumentParser
import Foundation
import TradeoffKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert another tool's eval config into a Tradeoff suite and catalog.",
        discussion: """
            FORMAT is 'promptfoo' (promptfooconfig.yaml). Each prompt becomes a task, each provider \
            a catalog entry, each test a case with its vars, and the common assertions graders \
            (equals, contains, icontains, regex, starts-with, is-json, contains-json, llm-rubric as \
            a judge, similar as text similarity); defaultTest gives every case its vars and every \
            task its graders and threshold; file:// CSV, JSONL and YAML test files are read. What \
            could not be converted (javascript and python assertions, unknown providers, ...) is \
            listed with why, on stderr ('note: ...'). The suite is written to -o (default suite.yaml), the \
            catalog beside it as models.yaml; then run 'tradeoff validate' on the suite. Exits 2 \
            when the config cannot be read or nothing in it converts.

            Examples:
              tradeoff import promptfoo promptfooconfig.yaml
              tradeoff import promptfoo promptfooconfig.yaml -o suites/support.yaml
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case promptfoo
    }

    @Argument(help: "promptfoo.")
    var format: Format

    @Argument(help: "The config to convert.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var config: String

    @Option(name: .shortAndLong, help: "The suite to write; the catalog goes beside it as models.yaml.",
            completion: .file(extensions: ["yaml", "yml"]))
    var output: String = "suite.yaml"

    func run() throws {
        let result: PromptfooImport.Result
        do {
            result = try PromptfooImport.convert(configPath: config)
        } catch let failure as PromptfooImport.Failure {
            printError("error: \(failure.description)")
            throw ExitCode.badInput
        }
        let folder = (output as NSString).deletingLastPathComponent
        let catalog = folder.isEmpty ? "models.yaml" : folder + "/models.yaml"
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try result.suiteYAML.write(toFile: output, atomically: true, encoding: .utf8)
            try result.catalogYAML.write(toFile: catalog, atomically: true, encoding: .utf8)
        } catch {
            printError("error: cannot write \(output) or \(catalog): \(error.localizedDescription)")
            throw ExitCode.badInput
        }
        for skipped in result.skipped { printError("note: \(skipped)") }
        print("Wrote \(output) (\(result.taskCount) \(result.taskCount == 1 ? "task" : "tasks"), \(result.caseCount) "
              + "\(result.caseCount == 1 ? "case" : "cases")) and \(catalog) (\(result.modelCount) "
              + "\(result.modelCount == 1 ? "model" : "models")); \(result.skipped.count) \(result.skipped.count == 1 ? "note" : "notes"). "
              + "Next: tradeoff validate \(output)")
    }
}
