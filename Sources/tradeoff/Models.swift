import ArgumentParser
import Foundation
import TradeoffKit

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Work with model catalogs.",
        discussion: """
            Examples:
              tradeoff models check suites/demo.models.yaml
            """,
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Send one tiny request to each model of a catalog and report what answered.",
            discussion: """
                Finds a wrong key, base URL or model name before a long run: for each model it \
                reports whether it answered, the HTTP status, the latency, whether the \
                provider reports token usage (when it does not, Tradeoff estimates it), and how \
                its host takes a task's response_format (SCHEMA: json_schema, ollama, or none \
                when it cannot; set structured_output in the catalog). Each \
                check costs a few tokens. Exits 0 when every model answered, 3 otherwise. With \
                --format json, stdout is one JSON document with a result per model.

                Examples:
                  tradeoff models check suites/demo.models.yaml
                  tradeoff models check suites/demo.models.yaml --only-models gpt-4o
                  tradeoff models check suites/demo.models.yaml --format json
                """
        )

        @Argument(help: "The model catalog YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var catalog: String

        @Option(help: ArgumentHelp("Check only these models (comma-separated ids).", valueName: "ids"))
        var onlyModels: String?

        @OptionGroup var connection: ConnectionOptions

        @OptionGroup var output: FormatOption

        func run() throws {
            let loader = SuiteLoader()
            let loaded: Catalog
            do { loaded = try loader.loadCatalog(path: catalog) } catch let error as DiagnosticsError {
                printError(error.description)
                throw ExitCode.badInput
            }
            var models = loaded.models
            if let onlyModels {
                do { models = try loaded.models(selectedBy: onlyModels) } catch let error as ModelSelectionError {
                    printError("error: \(error)")
                    throw ExitCode.badInput
                }
            }
            let client = try HTTPClient()
            defer { client.shutdown() }
            let results = ModelCheck.run(models, client: client, environment: ProcessInfo.processInfo.environment,
                                         caBundle: try connection.validatedCABundle())
            if output.isJSON { print(CommandOutput.modelCheck(models, results), terminator: "") }
            let rows = zip(models, results).map { model, result -> [String] in
                let provider = model.provider.rawValue + (model.preset.map { "/\($0.rawValue)" } ?? "")
                let outcome = result.error?.kind.rawValue ?? "ok"
                let status = result.error?.httpStatus.map(String.init) ?? (result.ok ? "200" : "-")
                let latency = result.latencyMs.map { String(format: "%.0f ms", $0) } ?? "-"
                let usage = result.usageReported.map { $0 ? "reported" : "estimated" } ?? "-"
                let note = result.error?.message ?? result.servedModel.map { "served by \($0)" } ?? ""
                return [model.id, provider, outcome, status, latency, usage, model.resolvedStructuredOutput.rawValue, note]
            }
            if !output.isJSON {
                print(table(header: ["MODEL", "PROVIDER", "RESULT", "HTTP", "LATENCY", "USAGE", "SCHEMA", "NOTE"], rows: rows))
            }
            let failed = results.filter { !$0.ok }.count
            if failed > 0 {
                printError("\(failed) of \(results.count) models did not answer")
                throw ExitCode.incomplete
            }
        }
    }
}

/// A plain-text table with columns padded to their widest cell.
func table(header: [String], rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
