import Foundation
import Yams

/// Graders that reach outside the answer: judges (models from the catalog), commands (programs
/// next to the suite) and JSON schemas (inline or in a file).
extension SuiteLoader.Session {
    mutating func judgeKind(_ grader: inout GraderFields) -> JudgeSpec? {
        let fields = grader.fields, document = grader.document
        let rubric = textOrFile(&grader, inline: "rubric", file: "rubric_file", kind: "rubric", required: true)

        var judges: [JudgeSpec.Judge] = []
        switch (fields["model"], fields["models"]) {
        case (_?, let second?):
            log.add(document.error("give 'model' or 'models', not both", at: second))
        case (let node?, nil):
            if let id = document.name(fields, "model", log: &log) { judges = [judge(id, at: node, in: document)] }
        case (nil, let node?):
            guard let items = document.sequence(fields, "models", log: &log) else { break }
            if items.isEmpty { log.add(document.error("'models' must list at least one judge model", at: node)) }
            for item in items {
                guard let id = document.text(item, named: "models", log: &log) else { continue }
                if judges.contains(where: { $0.id == id }) {
                    log.add(document.error("judge model '\(id)' is listed twice", at: item))
                    continue
                }
                judges.append(judge(id, at: item, in: document))
            }
        case (nil, nil):
            log.add(document.error("missing required key 'model' (or 'models') in 'judge' grader", at: fields.node))
        }

        let scale = judgeScale(fields["scale"], in: document)
        let threshold = document.number(fields, "threshold", in: 0...1, log: &log) ?? 0.5
        let reference = fields["reference"] == nil ? nil : template("reference", &grader)
        let maxTokens = document.integer(fields, "max_tokens", atLeast: 1, log: &log) ?? 512
        var template = JudgePrompt.defaultTemplate
        if fields["template"] != nil || fields["template_file"] != nil {
            guard let custom = textOrFile(&grader, inline: "template", file: "template_file", kind: "judge template",
                                          required: false, inputs: Set(JudgePrompt.inputs)) else { return nil }
            let node = fields["template"] ?? fields["template_file"]!
            if !custom.placeholders.contains("answer") {
                log.add(document.error("the judge template never shows the answer: add {{answer}} where it goes", at: node))
            }
            template = custom
        }
        guard let rubric, !judges.isEmpty, let scale else { return nil }
        return JudgeSpec(judges: judges, rubric: rubric, scale: scale, threshold: threshold, reference: reference,
                         template: template, maxTokens: maxTokens)
    }

    private func judge(_ id: String, at node: Node, in document: YAMLDocument) -> JudgeSpec.Judge {
        JudgeSpec.Judge(id: id, location: node.mark.map { SourceLocation(file: document.file, line: $0.line, column: $0.column) })
    }

    /// `scale: pass-fail` (the default), `scale: [1, 5]` or `scale: 1-5`.
    private mutating func judgeScale(_ node: Node?, in document: YAMLDocument) -> JudgeScale? {
        guard let node else { return .passFail }
        let expected = "'scale' must be pass-fail or a range like [1, 5], got \(document.describe(node))"
        var bounds: [Int] = []
        switch node {
        case .scalar(let scalar):
            if scalar.string == "pass-fail" { return .passFail }
            guard let match = scalar.string.wholeMatch(of: /\s*(-?\d+)\s*-\s*(-?\d+)\s*/) else {
                log.add(document.error(expected, at: node))
                return nil
            }
            bounds = [Int(match.output.1) ?? 0, Int(match.output.2) ?? 0]
        case .sequence(let items):
            bounds = items.compactMap { YAMLDocument.scalarText($0).flatMap { Int($0) } }
            guard bounds.count == 2, items.count == 2 else {
                log.add(document.error(expected, at: node))
                return nil
            }
        default:
            log.add(document.error(expected, at: node))
            return nil
        }
        guard bounds[0] < bounds[1] else {
            log.add(document.error("the scale's low end (\(bounds[0])) must be below its high end (\(bounds[1]))", at: node))
            return nil
        }
        return .range(low: bounds[0], high: bounds[1])
    }

    /// Text given inline (`rubric:`) or in a file next to the suite (`rubric_file:`), exactly
    /// one of them when `required`. Placeholders other than `inputs` and captures are case
    /// variables, checked at the key's node.
    private mutating func textOrFile(_ grader: inout GraderFields, inline: String, file: String, kind: String,
                                     required: Bool, inputs: Set<String> = []) -> Template? {
        let fields = grader.fields, document = grader.document
        let source: TemplateSource
        switch (fields[inline], fields[file]) {
        case (_?, let second?):
            log.add(document.error("give '\(inline)' or '\(file)', not both", at: second))
            return nil
        case (_?, nil):
            guard let given = template(fields, inline, in: document) else { return nil }
            source = given
        case (nil, let node?):
            guard let path = document.text(node, named: file, log: &log) else { return nil }
            let resolved = InputFile.path(path, relativeTo: document.file)
            switch InputFile.text(atPath: resolved) {
            case .failure(let problem):
                log.add(document.error("\(kind) file '\(resolved)' \(problem.message)", at: node))
                return nil
            case .success(let (bytes, text)):
                graderFiles[resolved] = bytes
                source = TemplateSource(template: template(in: SourceText(file: resolved, text: text)), node: node)
            }
        case (nil, nil):
            if required {
                log.add(document.error("missing required key '\(inline)' (or '\(file)') in 'judge' grader", at: fields.node))
            }
            return nil
        }
        grader.templates.append(Self.checked(source, excluding: grader.captures.union(inputs)))
        return source.template
    }

    // MARK: Commands

    mutating func commandKind(_ grader: inout GraderFields) -> CommandSpec? {
        let fields = grader.fields, document = grader.document
        guard let node = fields["command"] else { return nil }
        guard case .sequence(let items) = node, !items.isEmpty else {
            log.add(document.error("'command' must be a list like [python3, graders/check.py] (it is run as it is, "
                                   + "not through a shell), got \(document.describe(node))", at: node))
            return nil
        }
        var argv: [String] = []
        for item in items {
            guard let text = document.text(item, named: "command", log: &log) else { return nil }
            argv.append(text)
        }
        let timeout = document.number(fields, "timeout", greaterThan: 0, log: &log) ?? 30
        let expected = fields["expected"] == nil ? nil : template("expected", &grader)
        if fields["expected"] != nil && expected == nil { return nil }
        let folder = Self.suiteFolder(of: document.file)
        // The folder as the user named the suite (`suites`), for messages.
        let shown = document.file.lastIndex(of: "/").map { String(document.file[..<$0]) } ?? "."

        if ChildProcess.resolve(argv[0], in: folder) == nil {
            let message = argv[0].contains("/")
                ? "command file '\(argv[0])' does not exist or is not executable (paths are relative to the suite's folder, \(shown))"
                : "command '\(argv[0])' is not on PATH"
            log.add(document.error(message, at: Array(items)[0]))
            return nil
        }
        for (argument, item) in zip(argv, items).dropFirst() where Self.looksLikeFile(argument) {
            let path = argument.hasPrefix("/") ? argument : (folder as NSString).appendingPathComponent(argument)
            guard let bytes = FileManager.default.contents(atPath: path) else {
                log.add(document.error("command file '\(argument)' does not exist (paths are relative to the suite's "
                                       + "folder, \(shown))", at: item))
                return nil
            }
            graderFiles[path] = bytes
        }
        return CommandSpec(argv: argv, workingDirectory: folder, timeout: timeout, expected: expected)
    }

    /// The suite's folder, absolute: commands run there.
    static func suiteFolder(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        return URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.path
    }

    /// An argument naming a file: a path with a `/`, or a script name (`check.py`).
    static func looksLikeFile(_ argument: String) -> Bool {
        guard !argument.hasPrefix("-"), !argument.contains("="), !argument.contains(" ") else { return false }
        if argument.contains("/") { return true }
        let scripts: Set<String> = ["py", "sh", "bash", "js", "mjs", "cjs", "ts", "rb", "pl", "php", "lua", "r", "jl", "awk"]
        return scripts.contains((argument as NSString).pathExtension.lowercased())
    }

    // MARK: Schemas

    /// `schema:` (inline YAML) or `schema_file:` (JSON or YAML next to the suite), compiled.
    mutating func schemaKind(_ fields: YAMLFields, in document: YAMLDocument) -> JSONSchema? {
        switch (fields["schema"], fields["schema_file"]) {
        case (_?, let second?):
            log.add(document.error("give 'schema' or 'schema_file', not both", at: second))
            return nil
        case (let node?, nil):
            return compileSchema(Self.schemaSource(node), source: document.source)
        case (nil, let node?):
            guard let path = document.text(node, named: "schema_file", log: &log) else { return nil }
            let resolved = InputFile.path(path, relativeTo: document.file)
            switch InputFile.text(atPath: resolved) {
            case .failure(let problem):
                log.add(document.error("schema file '\(resolved)' \(problem.message)", at: node))
                return nil
            case .success(let (bytes, text)):
                graderFiles[resolved] = bytes
                log.register(file: resolved)
                let ext = (resolved as NSString).pathExtension.lowercased()
                if ext == "yaml" || ext == "yml" {
                    switch YAMLDocument.parse(text, file: resolved) {
                    case .failure(let error):
                        error.diagnostics.forEach { log.add($0) }
                        return nil
                    case .success(let schemaDocument):
                        guard let root = schemaDocument.root else {
                            log.add(schemaDocument.error("the schema file is empty", at: nil as Mark?))
                            return nil
                        }
                        return compileSchema(Self.schemaSource(root), source: schemaDocument.source)
                    }
                }
                switch JSONTree.parse(bytes, file: resolved) {
                case .failure(let error):
                    error.diagnostics.forEach { log.add($0) }
                    return nil
                case .success(let tree):
                    return compileSchema(SchemaSource(tree.root), source: tree.source)
                }
            }
        case (nil, nil):
            log.add(document.error("missing required key 'schema' (or 'schema_file') in 'json-schema' grader", at: fields.node))
            return nil
        }
    }

    private mutating func compileSchema(_ schema: SchemaSource, source: SourceText) -> JSONSchema? {
        var problems: [SchemaProblem] = []
        let compiled = JSONSchema.compile(schema, problems: &problems)
        for problem in problems {
            log.add(source.error(problem.message, line: problem.position?.line, column: problem.position?.column))
        }
        return problems.isEmpty ? compiled : nil
    }

    /// A YAML node as schema source: plain scalars are null, booleans or numbers when they read
    /// as such; quoted ones are strings.
    static func schemaSource(_ node: Node) -> SchemaSource {
        let position = node.mark.map { SchemaSource.Position(line: $0.line, column: $0.column) }
        switch node {
        case .mapping(let mapping):
            return SchemaSource(value: .object(mapping.map { key, value in
                (YAMLDocument.scalarText(key) ?? "", key.mark.map { SchemaSource.Position(line: $0.line, column: $0.column) },
                 schemaSource(value))
            }), position: position)
        case .sequence(let sequence):
            return SchemaSource(value: .array(sequence.map(schemaSource)), position: position)
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else {
                return SchemaSource(value: .string(scalar.string), position: position)
            }
            if YAMLDocument.isNull(scalar) { return SchemaSource(value: .null, position: position) }
            switch scalar.string {
            case "true", "True", "TRUE": return SchemaSource(value: .bool(true), position: position)
            case "false", "False", "FALSE": return SchemaSource(value: .bool(false), position: position)
            default:
                if YAMLDocument.isDecimal(scalar.string) { return SchemaSource(value: .number(scalar.string), position: position) }
                return SchemaSource(value: .string(scalar.string), position: position)
            }
        case .alias:
            return SchemaSource(value: .null, position: position)
        }
    }

    // MARK: After the catalog

    /// Resolves every judge to its catalog entry (reporting unknown ones, warning about judges
    /// that are also candidates) and hides the catalog's key variables from command graders.
    mutating func resolveGraderModels(_ tasks: inout [DecodedTask], catalog: Catalog, candidates: [ModelEntry]?,
                                      in document: YAMLDocument) {
        let keyVariables = Array(Set(catalog.models.compactMap(\.apiKeyEnv))).sorted()
        var warned: Set<String> = []
        func resolve(_ specs: inout [GraderSpec]) {
            for index in specs.indices {
                switch specs[index].kind {
                case .judge(var judge):
                    for position in judge.judges.indices {
                        let reference = judge.judges[position]
                        let line = reference.location?.line, column = reference.location?.column
                        guard let entry = catalog.model(reference.id) else {
                            let hint = Suggestions.hint(for: reference.id, among: catalog.models.map(\.id))
                            log.add(document.source.error("unknown judge model '\(reference.id)'\(hint); judges come "
                                                          + "from the catalog (\(catalog.path))", line: line, column: column))
                            continue
                        }
                        judge.judges[position].entry = entry
                        let key = "\(reference.id)@\(line ?? 0):\(column ?? 0)"
                        if candidates?.contains(where: { $0.id == reference.id }) == true, warned.insert(key).inserted {
                            log.add(Diagnostic(.warning, file: document.file, line: line, column: column,
                                               message: SuiteLoader.candidateJudgeMessage(reference.id),
                                               sourceLine: line.flatMap(document.source.line)))
                        }
                    }
                    specs[index].kind = .judge(judge)
                case .command(var command):
                    command.hiddenEnvironment = keyVariables
                    specs[index].kind = .command(command)
                default:
                    break
                }
            }
        }
        for taskIndex in tasks.indices {
            resolve(&tasks[taskIndex].task.graders)
            tasks[taskIndex].task.cases.updateInline { resolve(&$0.graders) }
        }
    }
}

extension SuiteLoader {
    /// Warnings for judges that are also among `candidates`: they would grade their own answers.
    ///
    /// - Parameters:
    ///   - suite: The loaded suite (its judges resolved).
    ///   - candidates: The models about to run.
    /// - Returns: One warning per judge reference naming a candidate, at the reference.
    public func judgeWarnings(for suite: Suite, candidates: [ModelEntry]) -> [Diagnostic] {
        let ids = Set(candidates.map(\.id))
        var source: SourceText?
        if case .success(let (_, text)) = InputFile.text(atPath: suite.path) { source = SourceText(file: suite.path, text: text) }
        var seen: Set<String> = []
        return suite.judges.compactMap { judge in
            guard ids.contains(judge.id) else { return nil }
            let line = judge.location?.line, column = judge.location?.column
            guard seen.insert("\(judge.id)@\(line ?? 0):\(column ?? 0)").inserted else { return nil }
            return Diagnostic(.warning, file: suite.path, line: line, column: column,
                              message: Self.candidateJudgeMessage(judge.id), sourceLine: line.flatMap { source?.line($0) })
        }
    }

    static func candidateJudgeMessage(_ id: String) -> String {
        "judge model '\(id)' is also a candidate: it will grade its own answers, which judges tend to favour; "
            + "use a judge that is not a candidate, or read its grades of itself with care"
    }
}

extension Suite {
    /// Every judge reference of the suite's graders, in order.
    public var judges: [JudgeSpec.Judge] {
        tasks.flatMap { task in
            (task.graders + task.cases.caseGraders).flatMap { $0.judge?.judges ?? [] }
        }
    }

    /// The catalog entries of the suite's judges, each once: their keys must be set before a run.
    public var judgeModels: [ModelEntry] {
        var seen: Set<String> = []
        return judges.compactMap(\.entry).filter { seen.insert($0.id).inserted }
    }
}
