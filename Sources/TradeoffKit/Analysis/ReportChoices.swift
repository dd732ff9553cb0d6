/// What a report compares and checks, decided from the run's own settings and the command
/// line: a flag wins over the suite, and the suite's reference and gates apply only where they
/// name a model of the run.
public struct ReportChoices: Sendable {
    /// The settings the analysis runs with.
    public var settings: AnalysisSettings
    /// The gates to check: the suite's that name a model of the run, then the command line's.
    public var gates: [Gate]
    /// What was set aside, for the user (`the suite's reference 'x' is not in this run; ...`).
    public var notes: [String]
    /// What makes the report impossible (a flag naming a model the run does not have): when
    /// not empty, nothing is written and the command fails as bad input.
    public var problems: [String]

    /// The suite's side: what `reference:`, `margin:` and `gates:` said.
    public struct SuiteSide: Sendable {
        public var reference: String?
        public var margin: Double?
        public var gates: [Gate]

        public init(reference: String?, margin: Double?, gates: [Gate]) {
            self.reference = reference
            self.margin = margin
            self.gates = gates
        }
    }

    /// Decides the report's settings for a run of `modelIDs`.
    ///
    /// - Parameters:
    ///   - suite: The suite's settings, nil when the run's suite is not at hand.
    ///   - reference: `--reference`, if given.
    ///   - margin: `--margin`, if given; else the suite's, else 0.05.
    ///   - volume: `--volume`, if given.
    ///   - gates: The `--gate` conditions.
    public init(modelIDs: [String], suite: SuiteSide?, reference: String?, margin: Double?, volume: Volume?,
                gates flagGates: [Gate]) {
        notes = []
        var suiteReference = suite?.reference
        if let asked = suiteReference, !modelIDs.contains(asked) {
            notes.append("the suite's reference '\(asked)' is not in this run; comparing with the best frontier model")
            suiteReference = nil
        }
        settings = AnalysisSettings(reference: reference ?? suiteReference, margin: margin ?? suite?.margin ?? 0.05,
                                    volume: volume)
        problems = settings.problems(modelIDs: modelIDs)
        gates = []
        for gate in suite?.gates ?? [] {
            if gate.problem(modelIDs: modelIDs) != nil {
                notes.append("gate '\(gate.text)' of the suite is skipped: model '\(gate.modelID ?? "")' is not in this run")
                continue
            }
            gates.append(gate)
        }
        for gate in flagGates {
            if let problem = gate.problem(modelIDs: modelIDs) { problems.append(problem) } else { gates.append(gate) }
        }
    }
}
