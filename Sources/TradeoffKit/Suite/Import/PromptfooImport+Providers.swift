import Foundation

/// promptfoo providers as catalog entries: `openai:`, `anthropic:`, `google:`/`vertex:` (the
/// Gemini API), `azure:` and the OpenAI-compatible hosts Tradeoff has presets for
/// (`openrouter:`, `ollama:`, `groq:`, `together:`, `fireworks:`, `deepinfra:`, `vllm:`).
extension PromptfooImport {
    /// A converted provider.
    struct Model {
        var id: String
        var yaml: String
    }

    mutating func models(_ value: JSONValue?) -> [Model] {
        var items: [(JSONValue, String)] = []
        switch value {
        case .string(let text)?: items = [(.string(text), "providers")]
        case .array(let list)?: items = list.enumerated().map { ($1, "providers[\($0)]") }
        case .object(let members)?:
            // `{openai:gpt-4o: {config: ...}}`: the map form.
            items = members.keys.sorted().map { (.object(["id": .string($0)].merging(members[$0]?.objectMembers ?? [:]) { a, _ in a }),
                                                 "providers.\($0)") }
        default: break
        }
        var models: [Model] = []
        for (item, place) in items {
            let spec: String?
            var label: String?
            var config: [String: JSONValue] = [:]
            switch item {
            case .string(let text): spec = text
            case .object(let members):
                spec = members["id"]?.scalarText
                label = members["label"]?.scalarText
                config = members["config"]?.objectMembers ?? [:]
            default: spec = nil
            }
            guard let spec else {
                skipped.append(Skipped(place: place, reason: "a provider is a string like openai:gpt-4o or {id: ...}"))
                continue
            }
            guard let model = model(spec, label: label, config: config, taken: models.map(\.id), place: place) else { continue }
            models.append(model)
        }
        return models
    }

    private mutating func model(_ spec: String, label: String?, config: [String: JSONValue], taken: [String],
                                place: String) -> Model? {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            skipped.append(Skipped(place: place, reason: "provider '\(spec)' is not a model Tradeoff can call "
                                   + "(scripts, HTTP and exec providers are code); add it to the catalog by hand"))
            return nil
        }
        var name = parts[1]
        // `openai:chat:gpt-4o`, `anthropic:messages:claude-...`, `ollama:chat:llama3`.
        for prefix in ["chat:", "messages:", "completion:"] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        let apiBase = config["apiBaseUrl"]?.scalarText ?? config["apiHost"]?.scalarText
        var lines: [String]
        switch parts[0] {
        case "openai":
            lines = ["provider: openai", "base_url: \(Self.quoted(apiBase ?? "https://api.openai.com/v1"))",
                     "class: frontier", "api_key_env: OPENAI_API_KEY"]
        case "anthropic":
            lines = ["provider: anthropic", "base_url: \(Self.quoted("https://api.anthropic.com"))", "class: frontier",
                     "api_key_env: ANTHROPIC_API_KEY"]
        case "google", "vertex":
            if parts[0] == "vertex" {
                skipped.append(Skipped(place: place, reason: "'\(spec)' is called through Vertex AI in promptfoo; "
                                       + "converted to the Gemini API (key in GEMINI_API_KEY)"))
            }
            lines = ["provider: gemini", "base_url: \(Self.quoted("https://generativelanguage.googleapis.com"))",
                     "class: frontier", "api_key_env: GEMINI_API_KEY"]
        case "azure", "azureopenai":
            guard let host = apiBase else {
                skipped.append(Skipped(place: place, reason: "Azure provider '\(spec)' has no config.apiHost; add it "
                                       + "to the catalog with its base_url by hand"))
                return nil
            }
            lines = ["provider: azure-openai", "base_url: \(Self.quoted(host.hasPrefix("http") ? host : "https://" + host))",
                     "deployment: \(Self.quoted(name))", "class: frontier", "api_key_env: AZURE_OPENAI_API_KEY"]
        case "openrouter", "ollama", "groq", "together", "fireworks", "deepinfra", "vllm", "litellm", "lmstudio":
            let preset = parts[0]
            lines = ["preset: \(preset)", "class: open"]
            if let apiBase { lines.append("base_url: \(Self.quoted(apiBase))") }
            let keys = ["openrouter": "OPENROUTER_API_KEY", "groq": "GROQ_API_KEY", "together": "TOGETHER_API_KEY",
                        "fireworks": "FIREWORKS_API_KEY", "deepinfra": "DEEPINFRA_API_KEY"]
            if let key = keys[preset] { lines.append("api_key_env: \(key)") }
        default:
            skipped.append(Skipped(place: place, reason: "provider '\(parts[0])' has no Tradeoff counterpart; add the "
                                   + "model to the catalog by hand (an OpenAI-compatible server takes 'base_url')"))
            return nil
        }
        for key in config.keys.sorted() where !["apiBaseUrl", "apiHost"].contains(key) {
            skipped.append(Skipped(place: "\(place).config.\(key)", reason: key == "temperature" || key == "max_tokens"
                                   ? "per-model sampling is not kept: Tradeoff sets temperature and max_tokens per task "
                                       + "(defaults:), the same for every model"
                                   : "not converted; pass it with the catalog entry's 'extra:' if the API takes it"))
        }
        let id = Self.identifier(label ?? name.components(separatedBy: "/").last ?? name, taken: taken)
        var yaml = "  - id: \(Self.quoted(id))\n    model: \(Self.quoted(name))\n"
        yaml += lines.map { "    \($0)\n" }.joined()
        return Model(id: id, yaml: yaml)
    }

    /// The catalog id llm-rubric graders use: `defaultTest.options.provider` when it converts,
    /// else the first provider (promptfoo's own default grader is an OpenAI model).
    mutating func judgeModel(_ defaultTest: JSONValue?, models: [Model]) -> String {
        if let provider = defaultTest?.member("options")?.member("provider") {
            let spec = provider.scalarText ?? provider.member("id")?.scalarText ?? ""
            let name = spec.split(separator: ":").last.map(String.init) ?? spec
            if let match = models.first(where: { $0.yaml.contains(Self.quoted(name)) }) { return match.id }
            skipped.append(Skipped(place: "defaultTest.options.provider", reason: "the grading provider '\(spec)' is "
                                   + "not among the converted providers; judges use '\(models[0].id)' (change 'model:' "
                                   + "of the judge graders, and add the judge to the catalog)"))
        }
        return models[0].id
    }
}

extension JSONValue {
    /// An object's members; nil for anything else.
    var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}
