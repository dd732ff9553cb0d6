import Foundation

/// Models named on a command line.
extension Catalog {
    /// The models `list` names (`--only-models a,b`): catalog ids separated by commas, spaces
    /// around each ignored, each model once, in the order given.
    ///
    /// A list that names no model (`""`, `","`: a CI variable left empty) is an error, not a
    /// run of nothing that passes.
    ///
    /// - Throws: `ModelSelectionError` for a list naming no model or an id not in the catalog,
    ///   with the ids the catalog has.
    public func models(selectedBy list: String) throws -> [ModelEntry] {
        let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let known = models.map(\.id)
        let available = "; \(path) has: \(known.joined(separator: ", "))"
        guard !ids.isEmpty else {
            throw ModelSelectionError("--only-models names no model (got '\(list)')" + available)
        }
        var selected: [ModelEntry] = []
        for id in ids where !selected.contains(where: { $0.id == id }) {
            guard let model = model(id) else {
                var message = "unknown model '\(id)' in --only-models"
                if let suggestion = Suggestions.closest(to: id, among: known) { message += " (did you mean '\(suggestion)'?)" }
                throw ModelSelectionError(message + available)
            }
            selected.append(model)
        }
        return selected
    }
}

/// `--only-models` names no model, or one the catalog does not have; its description is the
/// message for the user.
public struct ModelSelectionError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}
