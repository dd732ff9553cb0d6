import Foundation

/// Loads suites and model catalogs from YAML, reporting every problem the way a compiler does:
///
///     suites/x.yaml:12:16: error: unknown grader type 'exakt' (did you mean 'exact'?)
///           - {type: exakt, expected: "{{label}}"}
///                    ^
///
/// Files are composed to a node tree first and then decoded by hand, so each problem keeps its
/// line and column and one pass finds all of them.
public struct SuiteLoader: Sendable {
    /// Where `${NAME}` in catalog URLs and `api_key_env` variables are looked up.
    let environment: [String: String]

    /// Creates a loader.
    ///
    /// - Parameter environment: The environment variables to read; the process's by default.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the suite, its datasets and its catalog.
    ///
    /// - Parameters:
    ///   - suitePath: The suite file, as the user named it (diagnostics use this name).
    ///   - catalogPath: A catalog to use instead of the suite's `models:` file (`--models`).
    /// - Returns: The suite, the catalog and the models the suite runs on.
    /// - Throws: `DiagnosticsError` with every problem found, sorted by file and line.
    public func load(suitePath: String, catalogPath: String? = nil) throws -> LoadedSuite {
        var session = Session(environment: environment)
        let loaded = session.loadSuite(path: suitePath, catalogPath: catalogPath)
        guard let loaded, !session.log.hasErrors else { throw DiagnosticsError(session.log.sorted) }
        return loaded
    }

    /// Loads a catalog file alone.
    ///
    /// - Parameter path: The catalog file, as the user named it.
    /// - Returns: The catalog.
    /// - Throws: `DiagnosticsError` with every problem found.
    public func loadCatalog(path: String) throws -> Catalog {
        var session = Session(environment: environment)
        let catalog = session.loadCatalog(path: path, referencedBy: nil)
        guard let catalog, !session.log.hasErrors else { throw DiagnosticsError(session.log.sorted) }
        return catalog
    }

    /// Checks a suite or a catalog file, for `tradeoff validate`.
    ///
    /// A file with a top-level `suite:` (or `tasks:`) key is a suite and is loaded with its
    /// datasets and catalog; one with a top-level `models:` list is a catalog.
    ///
    /// - Parameter path: The file, as the user named it.
    /// - Returns: Every diagnostic, sorted by file and line; empty when the file is valid.
    public func validate(path: String) -> [Diagnostic] {
        var session = Session(environment: environment)
        session.validate(path: path)
        return session.log.sorted
    }

    /// The models whose API key variable (`api_key_env`) is unset or empty, as errors at their
    /// catalog entries. Checked before a run makes any call; keys come from the environment only.
    ///
    /// - Parameter models: The models about to run.
    /// - Returns: One error per model lacking its key, in the order given.
    public func missingCredentials(for models: [ModelEntry]) -> [Diagnostic] {
        var sources: [String: SourceText] = [:]
        return models.compactMap { model in
            guard let name = model.apiKeyEnv, environment[name, default: ""].isEmpty else { return nil }
            let message = "environment variable '\(name)' for model '\(model.id)' is not set; export it before "
                + "running (keys are read from the environment only)"
            guard let location = model.location else {
                return Diagnostic(.error, file: "models", line: nil, column: nil, message: message)
            }
            if sources[location.file] == nil, case .success(let (_, text)) = InputFile.text(atPath: location.file) {
                sources[location.file] = SourceText(file: location.file, text: text)
            }
            return Diagnostic(.error, file: location.file, line: location.line, column: location.column,
                              message: message, sourceLine: sources[location.file]?.line(location.line))
        }
    }
}

/// A suite ready to plan: the suite, its catalog and the models it runs on.
public struct LoadedSuite: Sendable {
    /// The suite with every dataset read and every default resolved.
    public var suite: Suite
    /// The whole catalog.
    public var catalog: Catalog
    /// Catalog models the suite runs on: all of them, or the suite's `only:` list in that order.
    public var models: [ModelEntry]

    /// Creates a loaded suite from its parts.
    public init(suite: Suite, catalog: Catalog, models: [ModelEntry]) {
        self.suite = suite
        self.catalog = catalog
        self.models = models
    }
}
