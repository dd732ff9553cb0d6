import ArgumentParser

/// `--format text|json`: text for people, or one JSON document on stdout for a CI step.
struct FormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: "Print text for people, or json: one schema-versioned JSON document on stdout (notes go to stderr).")
    var format: Format = .text

    /// Whether stdout carries JSON only.
    var isJSON: Bool { format == .json }
}
