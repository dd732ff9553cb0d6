import Foundation

/// Everything a run's report depends on besides its rows, frozen when the run starts: the
/// reference, margin, gates and volume it was run with, its tasks in order and its models in
/// order. A report reads these instead of the suite file, which may have moved, changed or be
/// out of reach from another folder — so a run reports the same from anywhere.
public struct RunContext: Sendable, Hashable, Codable {
    /// One task as run.
    public struct Task: Sendable, Hashable, Codable {
        public var id: String
        /// The weighted score a case needs to pass; nil: every grader must pass.
        public var threshold: Double?
        /// How many times each case is sampled.
        public var repeats: Int
        /// The models that ran the task with their own wording (`overrides:`), sorted; nil for none.
        public var ownWording: [String]?
        /// The task's share of production traffic as written (`volume:`); nil for none.
        public var volume: String?

        public init(id: String, threshold: Double?, repeats: Int, ownWording: [String]? = nil, volume: String? = nil) {
            self.id = id
            self.threshold = threshold
            self.repeats = repeats
            self.ownWording = ownWording
            self.volume = volume
        }
    }

    /// The model every other is compared with (the suite's `reference:` or `--reference`); nil
    /// picks the best frontier model.
    public var reference: String?
    /// The non-inferiority margin δ.
    public var margin: Double
    /// The gates checked, as written (the suite's, then `--gate`'s).
    public var gates: [String]
    /// The monthly volume given as `--volume`, as written.
    public var volume: String?
    /// The suite's tasks in suite order.
    public var tasks: [Task]
    /// The models in run order.
    public var models: [String]
    /// The quick slice the run made (`--only-tasks`, `--limit`, `--sample`); nil for the whole
    /// suite. A resume keeps it.
    public var slice: QuickSlice?
    /// The prompt variants every task ran under (`prompts:`), in order; nil without. A report
    /// then compares each (model, variant) pair as an arm (`PromptArm`).
    public var variants: [String]?
    /// The suite's `cascades:`, weighed by the run's report; nil for none.
    public var cascades: [CascadeSpec]?

    public init(reference: String?, margin: Double, gates: [String], volume: String?, tasks: [Task], models: [String],
                slice: QuickSlice? = nil, variants: [String]? = nil, cascades: [CascadeSpec]? = nil) {
        self.variants = variants
        self.cascades = cascades
        self.reference = reference
        self.margin = margin
        self.gates = gates
        self.volume = volume
        self.tasks = tasks
        self.models = models
        self.slice = slice
    }

    /// The context as stored: JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The context stored as `json`; nil when it does not decode.
    public init?(json: String) {
        guard let context = try? JSONDecoder().decode(RunContext.self, from: Data(json.utf8)) else { return nil }
        self = context
    }
}

extension RunContext {
    /// What a report compares: the models, or each (model, variant) arm's label.
    public var armIDs: [String] { PromptArm.labels(models: models, variants: variants ?? []) }

    /// The settings a report is judged by, for people: `reference gpt-4o, margin 0.05, gates
    /// [quality(x) >= 0.8], no volume`.
    public var reportSettings: String {
        "reference \(reference ?? "(the best frontier model)"), margin \(margin), gates [\(gates.joined(separator: "; "))], "
            + (volume.map { "volume \($0)" } ?? "no volume")
    }

    /// What the report flags change from these settings, for the user: `--margin 0.1 differs
    /// from the run's margin 0.05`. Flags not given change nothing.
    public func differences(reference: String?, margin: Double?, volume: String?) -> [String] {
        var differences: [String] = []
        if let reference, reference != self.reference {
            differences.append("--reference \(reference) differs from the run's reference "
                               + (self.reference.map { "\($0)" } ?? "(the best frontier model)"))
        }
        if let margin, margin != self.margin {
            differences.append("--margin \(margin) differs from the run's margin \(self.margin)")
        }
        if let volume, volume != self.volume {
            differences.append("--volume \(volume) differs from the run's volume " + (self.volume ?? "(none)"))
        }
        return differences
    }
}
