import Foundation

/// Converts a promptfoo config (`promptfooconfig.yaml`) into a Tradeoff suite and model
/// catalog, and says what it could not convert and why.
///
/// What maps: each prompt becomes a task (promptfoo runs every prompt on every provider, as
/// Tradeoff runs every task on every model); providers become catalog entries; `tests` (inline,
/// or `file://` CSV, JSONL or YAML) become each task's cases with their `vars`; `defaultTest`'s
/// `vars` join every case and its `assert` become the task's graders; `threshold` becomes the
/// task's; the common assertions become graders (see `+Assertions`). The rest is listed in
/// `skipped`, never dropped silently: code assertions, providers Tradeoff cannot call, prompt
/// files in another format.
public struct PromptfooImport {
    /// One thing left out, and why.
    public struct Skipped: Sendable, Hashable, CustomStringConvertible {
        /// Where it is in the config: `tests[2].assert[0]`, `providers[1]`.
        public var place: String
        /// Why, in words that say what to do instead.
        public var reason: String
        public var description: String { "\(place): \(reason)" }
    }

    /// The converted suite and catalog as YAML text, and what was left out.
    public struct Result: Sendable {
        public var suiteYAML: String
        public var catalogYAML: String
        public var skipped: [Skipped]
        /// Counts for the summary line.
        public var taskCount: Int
        public var caseCount: Int
        public var modelCount: Int
    }

    /// Why a config cannot be converted at all.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let configPath: String
    let catalogFileName: String
    var skipped: [Skipped] = []

    /// Converts the config at `configPath`; the suite names its catalog as `catalogFileName`
    /// (written beside it).
    ///
    /// - Throws: `Failure` when the file cannot be read or parsed, or has no prompt or provider.
    public static func convert(configPath: String, catalogFileName: String = "models.yaml") throws -> Result {
        var importer = PromptfooImport(configPath: configPath, catalogFileName: catalogFileName)
        return try importer.run()
    }

    private mutating func run() throws -> Result {
        let config = try Self.readYAML(configPath)
        guard case .object(let root) = config else {
            throw Failure(description: "\(configPath): a promptfoo config is a mapping with 'prompts', 'providers' and 'tests'")
        }
        for key in root.keys.sorted() where !Self.knownKeys.contains(key) {
            skipped.append(Skipped(place: key, reason: "not converted (Tradeoff has no such setting)"))
        }
        let prompts = try self.prompts(root["prompts"])
        guard !prompts.isEmpty else { throw Failure(description: "\(configPath): no prompt could be converted") }
        let models = self.models(root["providers"])
        guard !models.isEmpty else { throw Failure(description: "\(configPath): no provider could be converted") }

        let judge = judgeModel(root["defaultTest"], models: models)
        var defaults = DefaultTest()
        if let node = root["defaultTest"] { defaults = self.defaultTest(node, judge: judge) }
        let cases = try self.cases(root["tests"], defaults: defaults, judge: judge)
        guard !cases.isEmpty else {
            throw Failure(description: "\(configPath): no test could be converted (Tradeoff grades every case)")
        }

        var suite = "# Converted from \(Self.fileName(configPath)) by `tradeoff import promptfoo`.\n"
        let name = root["description"].flatMap(\.scalarText) ?? Self.fileName(configPath)
        suite += "suite: \(Self.quoted(name))\n"
        suite += "models: {catalog: \(Self.quoted(catalogFileName))}\n"
        var settings: [String] = []
        if let threshold = defaults.threshold { settings.append("threshold: \(threshold)") }
        if let repeats = root["evaluateOptions"]?.member("repeat")?.integerValue, repeats > 1 {
            settings.append("repeats: \(repeats)")
        }
        if !settings.isEmpty { suite += "defaults: {\(settings.joined(separator: ", "))}\n" }
        suite += "tasks:\n"
        for prompt in prompts {
            suite += "  - id: \(Self.quoted(prompt.id))\n"
            if let system = prompt.system { suite += "    system: \(Self.quoted(system))\n" }
            suite += "    prompt: \(Self.quoted(prompt.text))\n"
            if !defaults.graders.isEmpty {
                suite += "    graders:\n" + defaults.graders.map { "      - \($0)\n" }.joined()
            }
            suite += "    cases:\n"
            for testCase in cases {
                suite += "      - id: \(Self.quoted(testCase.id))\n"
                if !testCase.vars.isEmpty {
                    let vars = testCase.vars.keys.sorted().map { "\(Self.quoted($0)): \(Self.quoted(testCase.vars[$0]!))" }
                    suite += "        vars: {\(vars.joined(separator: ", "))}\n"
                }
                if !testCase.graders.isEmpty {
                    suite += "        graders:\n" + testCase.graders.map { "          - \($0)\n" }.joined()
                }
            }
        }
        var catalog = "# Converted from \(Self.fileName(configPath)) by `tradeoff import promptfoo`: add prices "
            + "(or rely on the shipped ones) before comparing costs.\nmodels:\n"
        for model in models { catalog += model.yaml }
        return Result(suiteYAML: suite, catalogYAML: catalog, skipped: skipped, taskCount: prompts.count,
                      caseCount: cases.count, modelCount: models.count)
    }

    static let knownKeys: Set<String> = ["description", "prompts", "providers", "tests", "defaultTest",
                                         "evaluateOptions", "outputPath", "sharing", "tags"]

    // MARK: Prompts

    /// A promptfoo prompt as a Tradeoff task's wording.
    struct Prompt {
        var id: String
        var system: String?
        var text: String
    }

    private mutating func prompts(_ value: JSONValue?) throws -> [Prompt] {
        var items: [(JSONValue, String)] = []
        switch value {
        case .string(let text)?: items = [(.string(text), "prompts")]
        case .array(let list)?: items = list.enumerated().map { ($1, "prompts[\($0)]") }
        case nil: throw Failure(description: "\(configPath): missing 'prompts'")
        default: throw Failure(description: "\(configPath): 'prompts' must be a string or a list")
        }
        var prompts: [Prompt] = []
        for (item, place) in items {
            var raw: String?
            var label: String?
            switch item {
            case .string(let text): raw = text
            case .object(let members):
                raw = members["raw"]?.scalarText
                label = members["label"]?.scalarText ?? members["id"]?.scalarText
            default: break
            }
            guard var text = raw else {
                skipped.append(Skipped(place: place, reason: "not a prompt text; give it as a string"))
                continue
            }
            if text.hasPrefix("file://") {
                let path = String(text.dropFirst("file://".count))
                let ext = (path as NSString).pathExtension.lowercased()
                guard ["txt", "md", "j2", "prompt", ""].contains(ext) else {
                    skipped.append(Skipped(place: place, reason: "prompt file '\(path)' (\(ext)) is code or a chat "
                                           + "file; write it as a task's 'prompt:' or 'messages:' by hand"))
                    continue
                }
                guard let contents = try? String(contentsOfFile: resolve(path), encoding: .utf8) else {
                    skipped.append(Skipped(place: place, reason: "prompt file '\(path)' cannot be read"))
                    continue
                }
                label = label ?? (path as NSString).deletingPathExtension.components(separatedBy: "/").last
                text = contents.trimmingCharacters(in: .newlines)
            }
            guard let converted = Self.template(text) else {
                skipped.append(Skipped(place: place, reason: "uses Nunjucks beyond {{variable}} (filters, tags); "
                                       + "Tradeoff fills {{name}} only: rewrite it by hand"))
                continue
            }
            let id = Self.identifier(label ?? "prompt-\(prompts.count + 1)", taken: prompts.map(\.id))
            prompts.append(Prompt(id: id, system: nil, text: converted))
        }
        return prompts
    }

    /// `text` with `{{ name }}` written `{{name}}`; nil when it uses more of Nunjucks.
    static func template(_ text: String) -> String? {
        if text.contains("{%") { return nil }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard name.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil else { return nil }
            result += "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    // MARK: Helpers

    func resolve(_ path: String) -> String {
        InputFile.path(path, relativeTo: configPath)
    }

    static func readYAML(_ path: String) throws -> JSONValue {
        let text: String
        switch InputFile.text(atPath: path) {
        case .success(let (_, contents)): text = contents
        case .failure(let problem): throw Failure(description: "\(path) \(problem.message)")
        }
        switch YAMLDocument.parse(text, file: path) {
        case .failure(let error):
            throw Failure(description: error.diagnostics.map(\.description).joined(separator: "\n"))
        case .success(let document):
            guard let root = document.root, let value = YAMLDocument.jsonValue(root) else { return .null }
            return value
        }
    }

    static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }

    /// A YAML double-quoted scalar (JSON's string syntax, which YAML reads the same).
    static func quoted(_ text: String) -> String { JSONTree.Node.quoted(text) }

    /// `text` as an id: letters, digits, `-` and `_`, unique among `taken`.
    static func identifier(_ text: String, taken: [String]) -> String {
        var id = String(text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        while id.contains("--") { id = id.replacingOccurrences(of: "--", with: "-") }
        id = id.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if id.isEmpty { id = "item" }
        var unique = id
        var number = 2
        while taken.contains(unique) {
            unique = "\(id)-\(number)"
            number += 1
        }
        return unique
    }
}

extension JSONValue {
    /// A scalar as text: strings as they are, numbers and booleans as written.
    var scalarText: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// The member `key` of an object.
    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    /// A whole number.
    var integerValue: Int? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value == value.rounded(): Int(exactly: value)
        default: nil
        }
    }
}
