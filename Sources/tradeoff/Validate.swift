import ArgumentParser
import TradeoffKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check suites and model catalogs without calling any model.",
        discussion: """
            Reports every problem of every file at once, as FILE:LINE:COLUMN: error: MESSAGE with \
            the source line. A suite's datasets and its catalog are checked with it. Exits 2 when \
            any file has an error, 0 otherwise. Writes nothing. With --format json, stdout is one \
            JSON document: per file, ok and its diagnostics (file, line, column, severity, message).

            Examples:
              tradeoff validate suites/demo.yaml suites/demo.models.yaml
              tradeoff validate suites/demo.yaml --format json
            """
    )

    @Argument(help: "Suite or catalog YAML files.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    @OptionGroup var output: FormatOption

    func run() throws {
        let loader = SuiteLoader()
        if output.isJSON {
            let results = files.map { (file: $0, diagnostics: loader.validate(path: $0)) }
            print(CommandOutput.validation(results), terminator: "")
            if results.contains(where: { $0.diagnostics.contains { $0.severity == .error } }) { throw ExitCode.badInput }
            return
        }
        var failed = false
        for file in files {
            let diagnostics = loader.validate(path: file)
            let errors = diagnostics.filter { $0.severity == .error }.count
            for diagnostic in diagnostics { printError(diagnostic.description) }
            if errors > 0 {
                failed = true
                printError("\(file): \(errors) \(errors == 1 ? "error" : "errors")")
            } else {
                print("\(file): ok")
            }
        }
        if failed { throw ExitCode.badInput }
    }
}
