/// Checks of user input against the run it applies to, with messages a person can act on.
extension AnalysisSettings {
    /// What is wrong with these settings for a run of `modelIDs`: a margin outside (0, 1), a
    /// reference that is not in the run.
    ///
    /// - Parameter referenceSource: How the reference was given, for the message (`--reference`).
    /// - Returns: One message per problem; empty when the settings fit.
    public func problems(modelIDs: [String], referenceSource: String = "--reference") -> [String] {
        var problems: [String] = []
        if !(margin > 0 && margin < 1) {
            problems.append("the non-inferiority margin must be between 0 and 1 (0.05 = 5 points), got \(margin)")
        }
        if let reference, let problem = Self.unknownModel(reference, in: referenceSource, among: modelIDs) {
            problems.append(problem)
        }
        return problems
    }

    /// `unknown model 'gpt4o' in --reference (did you mean 'gpt-4o'?); the run has: gpt-4o, llama`,
    /// or nil when `id` is one of `modelIDs`.
    static func unknownModel(_ id: String, in context: String, among modelIDs: [String]) -> String? {
        guard !modelIDs.contains(id) else { return nil }
        var message = "unknown model '\(id)' in \(context)"
        if let suggestion = Suggestions.closest(to: id, among: modelIDs) { message += " (did you mean '\(suggestion)'?)" }
        return message + "; the run has: " + (modelIDs.isEmpty ? "no models" : modelIDs.joined(separator: ", "))
    }
}

extension Gate {
    /// What is wrong with the gate for a run of `modelIDs` (a model not in the run); nil when it fits.
    public func problem(modelIDs: [String]) -> String? {
        guard let modelID else { return nil }
        return AnalysisSettings.unknownModel(modelID, in: "gate '\(text)'", among: modelIDs)
    }
}
