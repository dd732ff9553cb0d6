import Foundation
import Yams

extension FakeProviderConfig {
    /// Loads a config from a YAML file.
    /// - Parameter path: The file to read.
    /// - Throws: ``FakeProviderError`` naming the file (and line and column when the content is wrong).
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such file"
            throw FakeProviderError.unreadableConfig(file: path, reason: reason)
        }
        try self.init(yaml: text, file: path)
    }

    /// Parses a config from YAML text.
    /// - Parameters:
    ///   - yaml: The config text (format in `suites/demo.fake-provider.yaml`).
    ///   - file: The name used in error messages.
    /// - Throws: ``FakeProviderError`` with the line and column of the problem.
    public init(yaml: String, file: String = "<config>") throws {
        let reader = ConfigReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw reader.error(from: error)
        }
        guard let root else { throw reader.error("the config is empty; expected a mapping with 'models'", at: nil) }
        self = try reader.config(from: root)
    }
}

/// Turns a YAML node tree into a config, keeping every node's position for messages.
private struct ConfigReader {
    let file: String

    static let rootKeys = ["api_key", "models", "faults", "answers_from"]
    static let modelKeys = ["name", "accuracy", "latency_ms", "jitter_ms", "flavor", "cached_tokens",
                            "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens", "cost_per_million", "chunk_interval_ms", "faults",
                            "unparseable_verdicts", "limits", "structured_output", "simulated"]
    static let simulatedKeys = ["accuracy", "tasks"]
    static let limitKeys = ["max_concurrency", "requests", "tokens", "window_ms"]
    static let faultKeys = ["rate_limit", "retry_after_ms", "server_error", "overloaded", "malformed", "cut_stream",
                            "mid_stream_error", "slow_first_byte", "slow_first_byte_ms", "reset", "hang"]
    static let priceKeys = ["input", "output"]

    func config(from root: Node) throws -> FakeProviderConfig {
        let mapping = try self.mapping(root, what: "the config")
        try checkKeys(mapping, allowed: Self.rootKeys, in: "the config")

        var apiKey: String?
        if let node = mapping["api_key"], node.null == nil {
            guard node.scalar != nil, let key = node.string, !key.isEmpty else {
                throw error("api_key must be a non-empty string; remove it to accept any key", at: node)
            }
            apiKey = key
        }

        guard let modelsNode = mapping["models"] else {
            throw error("missing 'models': list at least one model", at: root)
        }
        guard let sequence = modelsNode.sequence, !sequence.isEmpty else {
            throw error("'models' must be a non-empty list of models", at: modelsNode)
        }
        var models: [FakeProviderConfig.Model] = []
        var firstLine: [String: Int] = [:]
        for node in sequence {
            let model = try self.model(from: node)
            if let line = firstLine[model.name] {
                throw error("duplicate model name '\(model.name)' (first defined on line \(line))",
                            at: node.mapping?["name"] ?? node)
            }
            firstLine[model.name] = node.mark?.line ?? 0
            models.append(model)
        }
        let faults = try mapping["faults"].map { try self.faults(from: $0) } ?? .none
        var config = FakeProviderConfig(apiKey: apiKey, models: models, faults: faults)
        if let node = mapping["answers_from"] {
            guard node.scalar != nil, let path = node.string, !path.isEmpty else {
                throw error("answers_from must be the path of a suite file, relative to this config", at: node)
            }
            do {
                config.answerKey = try AnswerKey.load(path: resolved(path))
            } catch {
                throw self.error("the suite '\(path)' does not load:\n\(error)", at: node)
            }
            if let answerKey = config.answerKey {
                try checkSimulatedTasks(models: sequence, key: answerKey, suite: path)
            }
        } else if let (node, _) = zip(sequence, models).first(where: { $0.1.simulated != nil }) {
            throw error("'simulated' answers a suite's cases: add 'answers_from: SUITE.yaml' at the top of the config",
                        at: node.mapping?["simulated"] ?? node)
        }
        return config
    }

    /// `path` relative to the config file's folder (as written when absolute, or for a config
    /// that is not a file).
    func resolved(_ path: String) -> String {
        guard !path.hasPrefix("/"), file != "<config>" else { return path }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    func simulated(from node: Node) throws -> FakeProviderConfig.Simulated {
        let mapping = try self.mapping(node, what: "simulated")
        try checkKeys(mapping, allowed: Self.simulatedKeys, in: "simulated")
        var simulated = FakeProviderConfig.Simulated()
        if let node = mapping["accuracy"] {
            guard let accuracy = node.float, (0...1).contains(accuracy) else {
                throw error("accuracy must be a number between 0 and 1, got '\(text(of: node))'", at: node)
            }
            simulated.accuracy = accuracy
        }
        if let node = mapping["tasks"] {
            guard let tasks = node.mapping else {
                throw error("tasks must be a mapping of task ids to accuracies, like {triage: 0.97}", at: node)
            }
            for (key, value) in tasks {
                guard key.scalar != nil, let taskID = key.string, !taskID.isEmpty else {
                    throw error("a key of tasks must be a task id of the answers_from suite", at: key)
                }
                guard let accuracy = value.float, (0...1).contains(accuracy) else {
                    throw error("the accuracy on task '\(taskID)' must be a number between 0 and 1, got '\(text(of: value))'",
                                at: value)
                }
                simulated.tasks[taskID] = accuracy
            }
        }
        return simulated
    }

    /// Every task named in a model's `simulated: {tasks: ...}` must be a task of the answer key's
    /// suite: a typo would otherwise silently answer that task at the model's overall accuracy.
    func checkSimulatedTasks(models: Node.Sequence, key answerKey: AnswerKey, suite: String) throws {
        for node in models {
            guard let tasks = node.mapping?["simulated"]?.mapping?["tasks"]?.mapping else { continue }
            for key in tasks.keys {
                let taskID = key.string ?? ""
                guard !answerKey.taskIDs.contains(taskID) else { continue }
                var message = "unknown task '\(taskID)' in simulated tasks: '\(suite)' has no such task"
                if let suggestion = closest(to: taskID, in: answerKey.taskIDs) {
                    message += " (did you mean '\(suggestion)'?)"
                } else {
                    message += "; its tasks are \(answerKey.taskIDs.joined(separator: ", "))"
                }
                throw error(message, at: key)
            }
        }
    }

    func model(from node: Node) throws -> FakeProviderConfig.Model {
        let mapping = try self.mapping(node, what: "a model")
        try checkKeys(mapping, allowed: Self.modelKeys, in: "a model")
        guard let nameNode = mapping["name"] else { throw error("a model needs a 'name'", at: node) }
        guard nameNode.scalar != nil, let name = nameNode.string,
              !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error("name must be a non-empty string", at: nameNode)
        }
        var model = FakeProviderConfig.Model(name: name)
        if let accuracyNode = mapping["accuracy"] {
            guard let accuracy = accuracyNode.float, (0...1).contains(accuracy) else {
                throw error("accuracy must be a number between 0 and 1, got '\(text(of: accuracyNode))'",
                            at: accuracyNode)
            }
            model.accuracy = accuracy
        }
        if let latencyNode = mapping["latency_ms"] {
            model.latencyMs = try milliseconds(latencyNode, key: "latency_ms")
        }
        if let jitterNode = mapping["jitter_ms"] {
            model.jitterMs = try milliseconds(jitterNode, key: "jitter_ms")
        }
        if let flavorNode = mapping["flavor"] {
            model.flavor = try flavor(flavorNode)
        }
        if let node = mapping["cached_tokens"] { model.cachedTokens = try tokens(node, key: "cached_tokens") }
        if let node = mapping["cache_write_tokens"] {
            model.cacheWriteTokens = try tokens(node, key: "cache_write_tokens")
        }
        if let node = mapping["cache_write_1h_tokens"] {
            model.cacheWrite1hTokens = try tokens(node, key: "cache_write_1h_tokens")
        }
        if let node = mapping["reasoning_tokens"] { model.reasoningTokens = try tokens(node, key: "reasoning_tokens") }
        if let node = mapping["cost_per_million"] { model.costPerMillion = try price(node) }
        if let node = mapping["chunk_interval_ms"] {
            model.chunkIntervalMs = try milliseconds(node, key: "chunk_interval_ms")
        }
        if let node = mapping["faults"] { model.faults = try faults(from: node) }
        if let node = mapping["limits"] { model.limits = try limits(from: node) }
        if let node = mapping["simulated"] { model.simulated = try simulated(from: node) }
        if let node = mapping["unparseable_verdicts"] {
            guard let share = node.float, (0...1).contains(share) else {
                throw error("unparseable_verdicts must be a number between 0 and 1, got '\(text(of: node))'", at: node)
            }
            model.unparseableVerdicts = share
        }
        if let node = mapping["structured_output"] {
            guard let text = node.string, let behavior = FakeProviderConfig.StructuredOutput(rawValue: text) else {
                let names = FakeProviderConfig.StructuredOutput.allCases.map(\.rawValue).joined(separator: ", ")
                throw error("structured_output must be one of \(names), got '\(self.text(of: node))'", at: node)
            }
            model.structuredOutput = behavior
        }
        return model
    }

    func limits(from node: Node) throws -> FakeProviderConfig.Limits {
        let mapping = try self.mapping(node, what: "limits")
        try checkKeys(mapping, allowed: Self.limitKeys, in: "limits")
        var limits = FakeProviderConfig.Limits()
        func count(_ key: String) throws -> Int? {
            guard let node = mapping[key] else { return nil }
            guard let value = node.int, value >= 1 else {
                throw error("\(key) must be a whole number of at least 1, got '\(text(of: node))'", at: node)
            }
            return value
        }
        limits.maxConcurrency = try count("max_concurrency")
        limits.requests = try count("requests")
        limits.tokens = try count("tokens")
        if let window = try count("window_ms") { limits.windowMs = window }
        return limits
    }

    func flavor(_ node: Node) throws -> FakeProviderConfig.Flavor {
        let names = FakeProviderConfig.Flavor.allCases.map(\.rawValue)
        guard let name = node.scalar?.string, let flavor = FakeProviderConfig.Flavor(rawValue: name) else {
            let name = text(of: node)
            var message = "unknown flavor '\(name)'"
            if let suggestion = closest(to: name, in: names) {
                message += " (did you mean '\(suggestion)'?)"
            } else {
                message += "; expected one of: \(names.joined(separator: ", "))"
            }
            throw error(message, at: node)
        }
        return flavor
    }

    /// Token counts above ten million are surely typos.
    func tokens(_ node: Node, key: String) throws -> Int {
        guard let value = node.int, (0...10_000_000).contains(value) else {
            throw error("\(key) must be a whole number of tokens from 0 to 10000000, got '\(text(of: node))'", at: node)
        }
        return value
    }

    /// Prices are read as decimals from the scalar's text, never through a float.
    func price(_ node: Node) throws -> FakeProviderConfig.Price {
        let mapping = try self.mapping(node, what: "cost_per_million")
        try checkKeys(mapping, allowed: Self.priceKeys, in: "cost_per_million")
        var values: [String: Decimal] = [:]
        for key in Self.priceKeys {
            guard let valueNode = mapping[key] else {
                throw error("cost_per_million needs '\(key)' (USD per million tokens)", at: node)
            }
            guard let text = valueNode.scalar?.string, text.wholeMatch(of: /[0-9]+(\.[0-9]+)?/) != nil,
                  let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw error("\(key) must be a price in USD per million tokens, like 2.50, got '\(self.text(of: valueNode))'",
                            at: valueNode)
            }
            values[key] = value
        }
        return FakeProviderConfig.Price(input: values["input"] ?? 0, output: values["output"] ?? 0)
    }

    func faults(from node: Node) throws -> FakeProviderConfig.Faults {
        let mapping = try self.mapping(node, what: "faults")
        try checkKeys(mapping, allowed: Self.faultKeys, in: "faults")
        var faults = FakeProviderConfig.Faults()
        func fraction(_ key: String, _ path: WritableKeyPath<FakeProviderConfig.Faults, Double>) throws {
            guard let node = mapping[key] else { return }
            guard let value = node.float, (0...1).contains(value) else {
                throw error("\(key) must be a fraction of requests between 0 and 1, got '\(text(of: node))'", at: node)
            }
            faults[keyPath: path] = value
        }
        try fraction("rate_limit", \.rateLimit)
        try fraction("server_error", \.serverError)
        try fraction("overloaded", \.overloaded)
        try fraction("malformed", \.malformed)
        try fraction("cut_stream", \.cutStream)
        try fraction("mid_stream_error", \.midStreamError)
        try fraction("slow_first_byte", \.slowFirstByte)
        try fraction("reset", \.reset)
        try fraction("hang", \.hang)
        if let node = mapping["retry_after_ms"] { faults.retryAfterMs = try milliseconds(node, key: "retry_after_ms") }
        if let node = mapping["slow_first_byte_ms"] {
            faults.slowFirstByteMs = try milliseconds(node, key: "slow_first_byte_ms")
        }
        let total = faults.failing.reduce(0) { $0 + $1.fraction }
        if total > 1.000_000_1 {
            let named = faults.failing.filter { $0.fraction > 0 }.map(\.kind.rawValue).joined(separator: " + ")
            throw error("the failing faults take \(named) = \(Self.format(total)) of requests; "
                            + "their sum must be at most 1 (a request fails at most one way)", at: node)
        }
        return faults
    }

    /// A fraction without float noise: `1.2`, not `1.2000000000000002`.
    static func format(_ value: Double) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Delays above ten minutes are surely typos (seconds written as milliseconds the other way round).
    func milliseconds(_ node: Node, key: String) throws -> Int {
        guard let value = node.int, (0...600_000).contains(value) else {
            throw error("\(key) must be a whole number of milliseconds from 0 to 600000, got '\(text(of: node))'",
                        at: node)
        }
        return value
    }

    func mapping(_ node: Node, what: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw error("\(what) must be a mapping of keys to values", at: node) }
        return mapping
    }

    func checkKeys(_ mapping: Node.Mapping, allowed: [String], in what: String) throws {
        for key in mapping.keys {
            let name = key.string ?? ""
            guard !allowed.contains(name) else { continue }
            var message = "unknown key '\(name)' in \(what)"
            if let suggestion = closest(to: name, in: allowed) {
                message += " (did you mean '\(suggestion)'?)"
            } else {
                message += "; expected one of: \(allowed.joined(separator: ", "))"
            }
            throw error(message, at: key)
        }
    }

    /// The candidate within two edits of `name`, if any.
    func closest(to name: String, in candidates: [String]) -> String? {
        guard let best = candidates.min(by: { editDistance($0, name) < editDistance($1, name) }),
              editDistance(best, name) <= 2 else { return nil }
        return best
    }

    func text(of node: Node) -> String {
        node.scalar?.string ?? (node.sequence != nil ? "a list" : "a mapping")
    }

    func error(_ message: String, at node: Node?) -> FakeProviderError {
        FakeProviderError.config(message, file: file, line: node?.mark?.line, column: node?.mark?.column)
    }

    func error(from yamlError: YamlError) -> FakeProviderError {
        switch yamlError {
        case .scanner(_, let problem, let mark, _),
             .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            FakeProviderError.config("invalid YAML: \(problem)", file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            FakeProviderError.config("duplicate key '\(duplicates.joined(separator: "', '"))'", file: file,
                                     line: context.mark.line, column: context.mark.column)
        default:
            FakeProviderError.config("invalid YAML: \(yamlError)", file: file)
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions on short keys.
private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
