import Yams

extension SuiteLoader.Session {
    /// The suite's `margin:`, `reference:` and `gates:`, for its reports and CI checks.
    struct AnalysisKeys {
        var margin: Double?
        var reference: String?
        var gates: [Gate] = []
    }

    /// Decodes the analysis keys; `reference` and the models gates name are checked against
    /// `models` (the suite's models) when they are known.
    mutating func analysisSettings(_ fields: YAMLFields, in document: YAMLDocument,
                                   models: [ModelEntry]?) -> AnalysisKeys {
        var keys = AnalysisKeys()
        keys.margin = document.number(fields, "margin", in: 0...1, greaterThan: 0, log: &log)
        let modelIDs = models?.map(\.id)
        if let node = fields["reference"], let reference = document.name(fields, "reference", log: &log) {
            if let modelIDs, !modelIDs.contains(reference) {
                let hint = Suggestions.hint(for: reference, among: modelIDs)
                log.add(document.error("unknown model '\(reference)' in 'reference'\(hint)", at: node))
            } else {
                keys.reference = reference
            }
        }
        for node in document.sequence(fields, "gates", log: &log) ?? [] {
            guard let text = document.text(node, named: "gates", log: &log) else { continue }
            do {
                let gate = try Gate(parsing: text)
                if let modelID = gate.modelID, let modelIDs, !modelIDs.contains(modelID) {
                    let hint = Suggestions.hint(for: modelID, among: modelIDs)
                    log.add(document.error("unknown model '\(modelID)' in gate '\(gate.text)'\(hint)", at: node))
                    continue
                }
                keys.gates.append(gate)
            } catch let error as GateError {
                log.add(document.error(error.description, at: node))
            } catch {
                log.add(document.error("invalid gate '\(text)': \(error)", at: node))
            }
        }
        return keys
    }
}
