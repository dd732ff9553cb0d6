import Crypto
import Foundation
import Yams

extension SuiteLoader {
    /// One load: the diagnostics found so far and the files already read.
    struct Session {
        let environment: [String: String]
        var log = DiagnosticLog()
        /// Datasets by path, read once even when several tasks share one.
        /// Dataset files read so far, by path; nil for one with bad rows (already reported).
        var datasetFiles: [String: DatasetFile?] = [:]
        /// Other files graders read (rubrics, templates, schemas, command scripts), by path:
        /// they decide the scores, so they are part of the suite's content hash.
        var graderFiles: [String: Data] = [:]
        /// Images read so far, by resolved path: part of the suite's content hash.
        var images: [String: ChatImage] = [:]

        init(environment: [String: String]) { self.environment = environment }

        static let suiteKeys = ["suite", "description", "models", "defaults", "tasks", "margin", "reference", "reference_prompt",
                                "gates", "cascades"]
        /// Keys of `models: {catalog: ..., only: [...]}`; `schemas/suite.schema.json` is tested
        /// against these lists.
        static let modelSelectionKeys = ["catalog", "only"]

        /// A file and the YAML node that names it, for "file does not exist" errors.
        struct Reference {
            var document: YAMLDocument
            var node: Node
        }

        /// Reads and composes a YAML file. A file that cannot be read is reported at `reference`
        /// when another file names it, else as a problem of the file itself.
        mutating func openYAML(path: String, kind: String, referencedBy reference: Reference?)
            -> (document: YAMLDocument, bytes: Data)?
        {
            switch InputFile.text(atPath: path) {
            case .failure(let problem):
                if let reference {
                    log.add(reference.document.error("\(kind) file '\(path)' \(problem.message)", at: reference.node))
                } else {
                    log.add(Diagnostic(.error, file: path, line: nil, column: nil, message: "\(kind) file \(problem.message)"))
                }
                return nil
            case .success(let (bytes, text)):
                log.register(file: path)
                switch YAMLDocument.parse(text, file: path) {
                case .success(let document): return (document, bytes)
                case .failure(let error):
                    error.diagnostics.forEach { log.add($0) }
                    return nil
                }
            }
        }

        mutating func loadSuite(path: String, catalogPath: String?) -> LoadedSuite? {
            guard let (document, bytes) = openYAML(path: path, kind: "suite", referencedBy: nil) else { return nil }
            return decodeSuite(document, bytes: bytes, catalogPath: catalogPath)
        }

        mutating func loadCatalog(path: String, referencedBy reference: Reference?) -> Catalog? {
            guard let (document, _) = openYAML(path: path, kind: "catalog", referencedBy: reference) else { return nil }
            return CatalogLoader(environment: environment).decode(document, log: &log)
        }

        /// Loads `path` as a suite or a catalog, whichever its top-level keys say it is.
        mutating func validate(path: String) {
            guard let (document, bytes) = openYAML(path: path, kind: "input", referencedBy: nil) else { return }
            if case .mapping(let mapping) = document.root {
                if mapping["suite"] != nil || mapping["tasks"] != nil {
                    _ = decodeSuite(document, bytes: bytes, catalogPath: nil)
                    return
                }
                if case .sequence = mapping["models"] {
                    _ = CatalogLoader(environment: environment).decode(document, log: &log)
                    return
                }
            }
            log.add(document.error("cannot tell whether this is a suite (top-level 'suite:' key) or a model "
                                   + "catalog (top-level 'models:' list)", at: document.root?.mark))
        }

        /// The suite in `document`; nil when anything is wrong (the problems are in `log`).
        mutating func decodeSuite(_ document: YAMLDocument, bytes: Data, catalogPath: String?) -> LoadedSuite? {
            guard let root = document.root, case .mapping = root else {
                let got = document.root.map(document.describe) ?? "an empty file"
                log.add(document.error("a suite must be a mapping with 'suite:' and 'tasks:' keys, got \(got)",
                                       at: document.root?.mark))
                return nil
            }
            let required = catalogPath == nil ? ["suite", "models", "tasks"] : ["suite", "tasks"]
            guard let fields = document.fields(of: root, in: "suite", allowed: Self.suiteKeys, required: required,
                                               log: &log)
            else { return nil }
            let name = document.name(fields, "suite", log: &log)
            let description = document.text(fields, "description", log: &log)

            var selection: ModelSelection?
            if let node = fields["models"] { selection = modelSelection(node, in: document) }
            var catalog: Catalog?
            let problemsBeforeCatalog = log.diagnostics.count
            if let catalogPath {
                catalog = loadCatalog(path: catalogPath, referencedBy: nil)
            } else if let (path, node) = selection?.catalog {
                catalog = loadCatalog(path: InputFile.path(path, relativeTo: document.file),
                                      referencedBy: Reference(document: document, node: node))
            }
            // A broken catalog lacks its broken entries; checking `only:` against it would
            // report models that are merely broken as unknown.
            if log.diagnostics.count > problemsBeforeCatalog { catalog = nil }

            var defaults = TaskSettings.defaults
            if let node = fields["defaults"],
               let settings = document.fields(of: node, in: "'defaults'", allowed: Self.settingKeys, log: &log) {
                defaults = self.settings(settings, in: document, base: defaults)
            }

            var tasks: [DecodedTask] = []
            if let nodes = document.sequence(fields, "tasks", log: &log) {
                if nodes.isEmpty, let node = fields["tasks"] {
                    log.add(document.error("'tasks' must list at least one task", at: node))
                }
                var firstLines: [String: Int] = [:]
                for (index, node) in nodes.enumerated() {
                    if let task = decodeTask(node, number: index + 1, in: document, defaults: defaults,
                                             firstLines: &firstLines) {
                        tasks.append(task)
                    }
                }
            }

            let models = catalog.flatMap { selectedModels(selection?.only, from: $0, in: document) }
            if let catalog {
                resolveGraderModels(&tasks, catalog: catalog, candidates: models, in: document)
                checkOverrideModels(tasks, catalog: catalog, in: document)
            }
            if let models {
                checkStructuredOutput(tasks, models: models, in: document)
                checkVision(tasks, models: models, in: document)
                checkLogprobs(tasks, models: models, in: document)
            }
            checkVariantIDs(tasks, in: document)
            var analysis = analysisSettings(fields, in: document, models: models)
            let variants = tasks.first { !$0.task.prompts.isEmpty }?.task.prompts.map(\.id) ?? []
            analysis.reference = armReference(analysis.reference, fields: fields, variants: variants, in: document)
            checkVolumes(tasks, in: document)
            let cascades = fields["cascades"].map {
                decodeCascades($0, tasks: tasks, models: models, variants: variants, in: document)
            } ?? []
            guard !log.hasErrors, let name, let catalog, let models else { return nil }

            var hasher = SHA256()
            hasher.update(data: bytes)
            for task in tasks {
                task.dataset?.feed(&hasher)
            }
            for path in graderFiles.keys.sorted() { hasher.update(data: graderFiles[path]!) }
            // Images by their digest, written only when a suite has any, so other suites' hashes stay.
            for path in images.keys.sorted() { hasher.update(data: Data(images[path]!.sha256.utf8)) }
            var suite = Suite(name: name, description: description, path: document.file,
                              contentHash: hasher.finalize().hexString, tasks: tasks.map(\.task),
                              margin: analysis.margin, reference: analysis.reference, gates: analysis.gates)
            suite.cascades = cascades
            return LoadedSuite(suite: suite, catalog: catalog, models: models)
        }
    }
}

extension SuiteLoader.Session {
    /// The suite's `models:` value: `models.yaml` or `{catalog: models.yaml, only: [a, b]}`.
    struct ModelSelection {
        var catalog: (path: String, node: Node)?
        var only: [(id: String, node: Node)]?
    }

    mutating func modelSelection(_ node: Node, in document: YAMLDocument) -> ModelSelection? {
        switch node {
        case .scalar:
            guard let path = document.text(node, named: "models", log: &log) else { return nil }
            return ModelSelection(catalog: (path, node), only: nil)
        case .mapping:
            guard let fields = document.fields(of: node, in: "'models'", allowed: Self.modelSelectionKeys,
                                               required: ["catalog"], log: &log)
            else { return nil }
            var selection = ModelSelection()
            if let node = fields["catalog"], let path = document.text(node, named: "catalog", log: &log) {
                selection.catalog = (path, node)
            }
            if let items = document.sequence(fields, "only", log: &log) {
                if items.isEmpty, let node = fields["only"] {
                    log.add(document.error("'only' must list at least one model", at: node))
                }
                selection.only = items.compactMap { item in
                    document.text(item, named: "only", log: &log).map { ($0, item) }
                }
            }
            return selection
        default:
            log.add(document.error("'models' must be a catalog path or a mapping like {catalog: models.yaml, "
                                   + "only: [...]}, got \(document.describe(node))", at: node))
            return nil
        }
    }

    /// The catalog's models, or those named by `only` in that order; nil after reporting
    /// unknown or repeated names.
    mutating func selectedModels(_ only: [(id: String, node: Node)]?, from catalog: Catalog,
                                 in document: YAMLDocument) -> [ModelEntry]?
    {
        guard let only else { return catalog.models }
        var models: [ModelEntry] = []
        var seen: Set<String> = []
        var valid = true
        for (id, node) in only {
            guard let model = catalog.model(id) else {
                let hint = Suggestions.hint(for: id, among: catalog.models.map(\.id))
                log.add(document.error("unknown model '\(id)' in 'only'\(hint)", at: node))
                valid = false
                continue
            }
            guard seen.insert(id).inserted else {
                log.add(document.error("model '\(id)' is listed twice in 'only'", at: node))
                valid = false
                continue
            }
            models.append(model)
        }
        return valid ? models : nil
    }
}
