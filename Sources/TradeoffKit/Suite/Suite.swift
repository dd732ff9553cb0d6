import Foundation

/// An evaluation suite: tasks, their cases and graders, as loaded from a suite YAML file.
///
/// A suite is a value: loading resolves every default, reads every dataset and checks every
/// reference, so the runner never has to look back at the file.
public struct Suite: Sendable, Hashable {
    /// The suite's name (`suite:` in the file).
    public var name: String
    /// A one-line description (`description:`), if given.
    public var description: String?
    /// The path the suite was loaded from, as the user gave it.
    public var path: String
    /// SHA-256 (hex) of the suite file's bytes followed by each dataset file's bytes, so a
    /// run records exactly which inputs it used.
    public var contentHash: String
    /// The tasks, in file order.
    public var tasks: [SuiteTask]
    /// The non-inferiority margin δ for this suite's reports (`margin:`); nil for the default.
    public var margin: Double?
    /// The model the others are compared with (`reference:`); nil for the best frontier model.
    public var reference: String?
    /// Conditions every run must meet (`gates:`), checked after the report is written.
    public var gates: [Gate]
    /// Cascades to weigh as a what-if on the run's results (`cascades:`).
    public var cascades: [CascadeSpec] = []

    public init(name: String, description: String?, path: String, contentHash: String, tasks: [SuiteTask],
                margin: Double? = nil, reference: String? = nil, gates: [Gate] = []) {
        self.name = name
        self.description = description
        self.path = path
        self.contentHash = contentHash
        self.tasks = tasks
        self.margin = margin
        self.reference = reference
        self.gates = gates
    }

    /// The prompt variants' ids (`prompts:`), in file order; empty when no task lists any. Every
    /// task runs under each of them (a task without `prompts:` in its one wording), so each
    /// (model, variant) pair answers every case.
    public var variants: [String] { tasks.first { !$0.prompts.isEmpty }?.prompts.map(\.id) ?? [] }

    /// The number of cases over all tasks.
    public var caseCount: Int { tasks.reduce(0) { $0 + $1.cases.count } }
}

/// One task of a suite: a prompt template (or a conversation) applied to each case, and the
/// graders that score the answers.
public struct SuiteTask: Sendable, Hashable {
    /// The task's id, unique within the suite.
    public var id: String
    /// The system prompt template, if any.
    public var system: Template?
    /// The user prompt template, sent as the last turn; nil when the conversation (the task's
    /// or each case's `messages`) ends with the user turn itself.
    public var prompt: Template?
    /// Turns sent before each case's own turns and the prompt (`messages:`), in order.
    public var messages: [MessageTemplate]
    /// Per model id, the wording that model gets instead of the task's (`overrides:`).
    public var overrides: [String: PromptOverride]
    /// Settings after applying suite defaults and task overrides.
    public var settings: TaskSettings
    /// Graders applied to every case of the task.
    public var graders: [GraderSpec]
    /// The cases, in file or dataset order.
    public var cases: CaseList
    /// Functions the model may call (`tools:`); empty for none.
    public var tools: [ToolSpec] = []
    /// Whether and which tool the model must call (`tool_choice:`); nil for the provider's default.
    public var toolChoice: ToolChoice?
    /// The JSON Schema the answer must follow (`response_format:`), if any.
    public var responseFormat: ResponseFormat?
    /// The task's wordings (`prompts:`), each asked of every model; empty for its one `prompt:`.
    public var prompts: [PromptVariant] = []
    /// The task's share of production traffic as written (`volume:`, see `TaskVolume`); nil
    /// when the suite states none, and tasks weigh by their cases.
    public var volume: String?
    /// The case variable (a dataset column) naming each case's image (`image_field:`), sent
    /// with the last user turn; nil for none.
    public var imageField: String?
    /// The images `imageField` names, read when the suite loads, by the path as written.
    public var fieldImages: [String: ChatImage] = [:]

    public init(id: String, system: Template?, prompt: Template?, messages: [MessageTemplate] = [],
                overrides: [String: PromptOverride] = [:], settings: TaskSettings,
                graders: [GraderSpec], cases: CaseList) {
        self.id = id
        self.system = system
        self.prompt = prompt
        self.messages = messages
        self.overrides = overrides
        self.settings = settings
        self.graders = graders
        self.cases = cases
    }

    public init(id: String, system: Template?, prompt: Template?, messages: [MessageTemplate] = [],
                overrides: [String: PromptOverride] = [:], settings: TaskSettings,
                graders: [GraderSpec], cases: [TestCase]) {
        self.init(id: id, system: system, prompt: prompt, messages: messages, overrides: overrides, settings: settings,
                  graders: graders, cases: CaseList(cases))
    }
}

/// Sampling and grading settings of a task, fully resolved.
public struct TaskSettings: Sendable, Hashable, Codable {
    /// Sampling temperature sent to the model. Default 0.
    public var temperature: Double
    /// Maximum output tokens. Default 256.
    public var maxTokens: Int
    /// Minimum weighted case score (0...1) for the case to count as passed; nil (the default)
    /// passes a case when every grader passes, each by its own rule (a `similarity` grader at
    /// its own 0.8), so a threshold meant for one grader is never applied to the blend.
    public var threshold: Double?
    /// How many times each case is sampled, to measure noise; analysis averages a case's
    /// repeats first. Default 1.
    public var repeats: Int

    public static let defaults = TaskSettings(temperature: 0, maxTokens: 256, threshold: nil)

    public init(temperature: Double, maxTokens: Int, threshold: Double? = nil, repeats: Int = 1) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.threshold = threshold
        self.repeats = repeats
    }
}

/// One case of a task: the variables that fill the prompt, and graders added for this case.
public struct TestCase: Sendable, Hashable {
    /// The case id, unique within its task: the `id:` given in the suite or the dataset row,
    /// else the 1-based position (`"1"`, `"2"`, ...).
    public var id: String
    /// Values for the `{{name}}` placeholders of the prompt and graders.
    public var variables: [String: String]
    /// Graders that apply to this case in addition to the task's.
    public var graders: [GraderSpec]
    /// The case's own turns (its `messages:`, or its dataset row's conversation), sent after the
    /// task's and before the prompt.
    public var messages: [MessageTemplate]

    public init(id: String, variables: [String: String], graders: [GraderSpec] = [], messages: [MessageTemplate] = []) {
        self.id = id
        self.variables = variables
        self.graders = graders
        self.messages = messages
    }
}

extension Suite {
    /// What the suite says about its reports, for `ReportChoices`.
    public var reportSide: ReportChoices.SuiteSide {
        ReportChoices.SuiteSide(reference: reference, margin: margin, gates: gates)
    }
}
