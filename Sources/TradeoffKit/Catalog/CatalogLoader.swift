import Foundation
import Yams

/// Decodes a model catalog's node tree into a `Catalog`, reporting every problem at its
/// position.
struct CatalogLoader {
    /// Where `${NAME}` in `base_url` is looked up.
    let environment: [String: String]

    static let modelKeys = ["id", "provider", "base_url", "model", "class", "price", "api_key_env",
                            "max_concurrency", "requests_per_minute", "tokens_per_minute", "limit_group", "timeout",
                            "simulated", "batch", "vision"] + providerKeys
    static let limitKeys = ["max_concurrency", "requests_per_minute", "tokens_per_minute"]
    /// Top-level keys; `schemas/catalog.schema.json` is tested against these lists.
    static let catalogKeys = ["models", "limits"] + priceCatalogKeys

    /// The catalog in `document`, or nil when it is too broken to use; problems go to `log`.
    func decode(_ document: YAMLDocument, log: inout DiagnosticLog) -> Catalog? {
        guard let root = document.root, case .mapping = root else {
            let got = document.root.map(document.describe) ?? "an empty file"
            log.add(document.error("a catalog must be a mapping with a 'models:' list, got \(got)",
                                   at: document.root?.mark))
            return nil
        }
        guard let fields = document.fields(of: root, in: "catalog", allowed: Self.catalogKeys,
                                          required: ["models"], log: &log),
              let entries = document.sequence(fields, "models", log: &log)
        else { return nil }
        if entries.isEmpty, let node = fields["models"] {
            log.add(document.error("'models' must list at least one model", at: node))
        }
        let prices = priceSettings(fields, in: document, log: &log)
        var models: [ModelEntry] = []
        var groups: [String] = []
        var firstLine: [String: Int] = [:]
        for entry in entries {
            guard let (model, group) = decodeModel(entry, in: document, prices: prices, log: &log) else { continue }
            if let line = firstLine[model.id] {
                // The entry decoded cleanly, so reading its fields again reports nothing new.
                var scratch = DiagnosticLog()
                let idNode = document.fields(of: entry, in: "model", allowed: Self.modelKeys, log: &scratch)?["id"]
                log.add(document.error("duplicate model id '\(model.id)' (first at line \(line))", at: idNode ?? entry))
                continue
            }
            firstLine[model.id] = model.location?.line ?? 0
            models.append(model)
            groups.append(group)
        }
        if let node = fields["limits"] {
            // Groups of models that failed to load are unknown: don't call their limits unused.
            let shared = sharedLimits(node, groups: models.count == entries.count ? groups : nil, in: document, log: &log)
            for index in models.indices {
                models[index].sharedLimits = shared[groups[index]].map { SharedLimits(name: groups[index], limits: $0) }
            }
        }
        return Catalog(path: document.file, models: models, priceFile: prices.file, maxPriceAgeDays: prices.maxAgeDays)
    }

    /// The model, and the name of the group whose shared `limits:` apply to it.
    private func decodeModel(_ node: Node, in document: YAMLDocument, prices: PriceSettings,
                             log: inout DiagnosticLog) -> (ModelEntry, group: String)? {
        var problems = DiagnosticLog()
        defer { for problem in problems.diagnostics { log.add(problem) } }
        guard let fields = document.fields(of: node, in: "model", allowed: Self.modelKeys,
                                           required: ["id", "model", "class"], log: &problems)
        else { return nil }
        let id = document.name(fields, "id", log: &problems)
        var provider = ProviderKind.openAICompatible
        if let node = fields["provider"], let text = document.text(node, named: "provider", log: &problems) {
            if let kind = ProviderKind(rawValue: text) {
                provider = kind
            } else {
                let hint = Suggestions.hint(for: text, among: ProviderKind.allCases.map(\.rawValue))
                problems.add(document.error("unknown provider '\(text)'\(hint)", at: node))
            }
        }
        let settings = providerSettings(fields, provider: provider, in: document, log: &problems)
        var baseURL: String?
        var baseURLTemplate: String?
        if let node = fields["base_url"] {
            baseURL = self.baseURL(node, in: document, log: &problems)
            if case .scalar(let written) = node, written.string.contains("${") { baseURLTemplate = written.string }
        } else if let preset = settings.preset {
            baseURL = preset.defaultBaseURL
        } else if provider == .openAICompatible || provider == .azureOpenAI {
            let needs = provider == .azureOpenAI ? "your resource's endpoint (https://NAME.openai.azure.com)"
                                                 : "the server's URL, or a 'preset' (\(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", ")))"
            problems.add(document.error("missing required key 'base_url' in model: give \(needs)", at: node))
        } else {
            baseURL = ""  // The provider's own endpoint (ModelEntry.resolvedBaseURL).
        }
        let model = document.name(fields, "model", log: &problems)
        var modelClass: ModelClass?
        if let node = fields["class"], let text = document.text(node, named: "class", log: &problems) {
            modelClass = ModelClass(rawValue: text)
            if modelClass == nil {
                let hint = Suggestions.hint(for: text, among: ModelClass.allCases.map(\.rawValue))
                problems.add(document.error("unknown model class '\(text)'\(hint)", at: node))
            }
        }
        var pricing: Pricing?
        if let node = fields["price"] { pricing = self.pricing(node, in: document, prices: prices, log: &problems) }
        var apiKeyEnv: String?
        if let node = fields["api_key_env"] { apiKeyEnv = self.apiKeyEnv(node, in: document, log: &problems) }
        let maxConcurrency = document.integer(fields, "max_concurrency", atLeast: 1, log: &problems)
        let limitGroup = document.name(fields, "limit_group", log: &problems)
        let rateLimits = RateLimits(requestsPerMinute: document.integer(fields, "requests_per_minute", atLeast: 1, log: &problems),
                                    tokensPerMinute: document.integer(fields, "tokens_per_minute", atLeast: 1, log: &problems))
        let timeout = document.number(fields, "timeout", greaterThan: 0, log: &problems)
        let simulated = document.bool(fields, "simulated", log: &problems)
        let batch = document.bool(fields, "batch", log: &problems)
        let vision = document.bool(fields, "vision", log: &problems)

        guard !problems.hasErrors, let id, let baseURL, let model, let modelClass else { return nil }
        let mark = node.mark
        var entry = ModelEntry(id: id, provider: provider, baseURL: baseURL, model: model, modelClass: modelClass,
                          price: pricing?.tokens, hourlyPrice: pricing?.hourly, apiKeyEnv: apiKeyEnv,
                          maxConcurrency: maxConcurrency ?? 4, timeoutSeconds: timeout ?? 120, rateLimits: rateLimits,
                          preset: settings.preset, stream: settings.stream,
                          extraBody: settings.extraBody, extraHeaders: settings.extraHeaders,
                          apiVersion: settings.apiVersion, deployment: settings.deployment,
                          maxTokensField: settings.maxTokensField, simulated: simulated ?? false,
                          location: mark.map { SourceLocation(file: document.file, line: $0.line, column: $0.column) })
        entry.baseURLTemplate = baseURLTemplate
        entry.batch = batch ?? false
        entry.vision = vision
        entry.structuredOutput = settings.structuredOutput
        return (entry, limitGroup ?? settings.preset?.rawValue ?? provider.rawValue)
    }

    /// The catalog's `limits:`, a mapping from a group (a provider, or a `limit_group`) to the
    /// limits its models share. A group no model belongs to is an error: it would limit nothing.
    private func sharedLimits(_ node: Node, groups: [String]?, in document: YAMLDocument,
                              log: inout DiagnosticLog) -> [String: RateLimits] {
        guard case .mapping(let mapping) = node else {
            log.add(document.error("'limits' must be a mapping from a provider (or a model's limit_group) to its "
                                   + "limits, got \(document.describe(node))", at: node))
            return [:]
        }
        var shared: [String: RateLimits] = [:]
        for (key, value) in mapping {
            guard let name = YAMLDocument.scalarText(key) else {
                log.add(document.error("keys in 'limits' must be names, got \(document.describe(key))", at: key))
                continue
            }
            if let groups, !groups.contains(name) {
                let known = Array(Set(groups)).sorted()
                let hint = Suggestions.closest(to: name, among: known).map { " (did you mean '\($0)'?)" } ?? ""
                log.add(document.error("'limits' names '\(name)', which no model belongs to\(hint); a model belongs to "
                                       + "its preset or provider (\(known.joined(separator: ", "))) or to its 'limit_group'",
                                       at: key))
                continue
            }
            var problems = DiagnosticLog()
            defer { for problem in problems.diagnostics { log.add(problem) } }
            guard let fields = document.fields(of: value, in: "limits of '\(name)'", allowed: Self.limitKeys,
                                               log: &problems)
            else { continue }
            let limits = RateLimits(maxConcurrency: document.integer(fields, "max_concurrency", atLeast: 1, log: &problems),
                                    requestsPerMinute: document.integer(fields, "requests_per_minute", atLeast: 1, log: &problems),
                                    tokensPerMinute: document.integer(fields, "tokens_per_minute", atLeast: 1, log: &problems))
            if limits.isEmpty && !problems.hasErrors {
                problems.add(document.error("limits of '\(name)' set nothing: give max_concurrency, requests_per_minute or "
                                            + "tokens_per_minute", at: value))
            }
            shared[name] = limits
        }
        return shared
    }

    /// `base_url` with `${NAME}` and `${NAME:-default}` expanded; it must then be an http(s) URL.
    /// A key written in it (a URL's password or a key in its query) is an error that never
    /// repeats the key: it would be stored with every run.
    private func baseURL(_ node: Node, in document: YAMLDocument, log: inout DiagnosticLog) -> String? {
        guard let text = document.text(node, named: "base_url", log: &log) else { return nil }
        if let problem = Self.literalSecret(inURL: text) {
            log.add(document.error("'base_url' has a key written in \(problem): the URL is stored with every run; "
                                   + "export the key and write ${NAME} in its place", at: node))
            return nil
        }
        var expanded = ""
        var rest = text[...]
        var complete = true
        while let open = rest.range(of: "${") {
            expanded += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                log.add(document.error("'base_url' has '${' without a closing '}'", at: node))
                return nil
            }
            let inner = rest[open.upperBound..<close]
            let name: Substring, fallback: Substring?
            if let separator = inner.range(of: ":-") {
                (name, fallback) = (inner[..<separator.lowerBound], inner[separator.upperBound...])
            } else {
                (name, fallback) = (inner, nil)
            }
            if !Secrets.isVariableName(name) {
                log.add(document.error("'${\(inner)}' in 'base_url' does not name an environment variable", at: node))
                complete = false
            } else if let value = environment[String(name)], !value.isEmpty {
                expanded += value
            } else if let fallback {
                expanded += fallback
            } else {
                log.add(document.error("environment variable '\(name)' in 'base_url' is not set "
                                       + "(export it, or give a default: ${\(name):-http://...})", at: node))
                complete = false
            }
            rest = rest[rest.index(after: close)...]
        }
        expanded += rest
        guard complete else { return nil }
        guard expanded.hasPrefix("http://") || expanded.hasPrefix("https://"), URL(string: expanded) != nil else {
            // Never the expansion: a variable may hold a secret.
            let shown = expanded == text ? "'\(text)'" : "'\(text)' once its variables are expanded"
            log.add(document.error("'base_url' must be an http:// or https:// URL, got \(shown)", at: node))
            return nil
        }
        return expanded
    }

    /// Where a URL as written holds a key of its own — a password in its user part, a user part
    /// with a key's prefix, a query value named like a key (`token=`, `key=`) or with a key's prefix
    /// — described for a message (`its query ('token=')`); nil when it holds none. `${NAME}`
    /// references are not keys.
    static func literalSecret(inURL text: String) -> String? {
        let afterScheme = text.range(of: "://").map { text[$0.upperBound...] } ?? text[...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let password = userInfo[userInfo.index(after: colon)...]
                if !password.isEmpty && !password.hasPrefix("${") { return "its user part (a password)" }
            } else if Secrets.hasKeyPrefix(String(userInfo)) {
                return "its user part"
            }
        }
        guard let mark = text.firstIndex(of: "?") else { return nil }
        let query = text[text.index(after: mark)...].prefix { $0 != "#" }
        let secretNames: Set = ["key", "api_key", "apikey", "api-key", "token", "access_token", "auth", "auth_token",
                                "secret", "client_secret", "password", "sig", "signature", "code"]
        for item in query.split(separator: "&") {
            let name = item.prefix { $0 != "=" }
            let value = item.dropFirst(name.count + 1)
            guard !value.isEmpty, !value.hasPrefix("${") else { continue }
            if secretNames.contains(name.lowercased()) || Secrets.hasKeyPrefix(String(value)) {
                return "its query ('\(name)=')"
            }
        }
        return nil
    }

    /// The NAME of the key's environment variable. A value that looks like a key itself is an
    /// error that never repeats the value (`SourceText` redacts it from quoted lines too).
    private func apiKeyEnv(_ node: Node, in document: YAMLDocument, log: inout DiagnosticLog) -> String? {
        guard let text = document.text(node, named: "api_key_env", log: &log) else { return nil }
        if Secrets.looksLikeKey(text) {
            log.add(document.error(
                "'api_key_env' must be the NAME of the environment variable that holds the key "
                + "(e.g. OPENAI_API_KEY), not the key itself; remove the key from this file and export it",
                at: node))
            return nil
        }
        guard Secrets.isVariableName(text[...]) else {
            log.add(document.error("'api_key_env' must be an environment variable name (letters, digits and "
                                   + "'_', not starting with a digit), got \(document.describe(node))", at: node))
            return nil
        }
        return text
    }

}
