import Foundation

/// The "Where the models disagree most" and "Errors" sections: the cases with the widest spread
/// of scores, each model's answer shown as written, then the failed calls grouped by kind.
struct CasesSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The case sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The sections there is something to show in.
    var blocks: [Block] { disagreements + errors }

    private var disagreements: [Block] {
        guard !summary.disagreements.isEmpty else { return [] }
        let models = summary.models
        let rows = summary.disagreements.map { disagreement -> [Cell] in
            [Cell([.data(disagreement.taskID), .text(" / "), .data(disagreement.caseID)])] + models.map { model in
                guard let answer = disagreement.answers[model.modelID] else { return .none }
                if let score = answer.score {
                    let output = Formatting.truncated(answer.output ?? "", to: 80)
                    return Cell([.value(Quantity(.number, score, display: String(format: "%.2f", score))), .text(": "),
                                 output.isEmpty ? .text("(empty)") : .data(output)])
                }
                return answer.errorClass.map { .text("error: \($0.rawValue)") } ?? .none
            }
        }
        let columns = [Table.ColumnHeader.text("Case", .leading)] + models.map { Table.ColumnHeader([.data($0.modelID)], .leading) }
        return [.section("Where the models disagree most"), .table(Table(columns, rows)),
                .paragraph([.text("The cases with the widest spread of scores across models, each cell the score and the "
                                  + "answer (first repeat, cut at 80 characters; the calls CSV has every answer whole).")])]
    }

    private var errors: [Block] {
        guard summary.errorCount > 0 else { return [] }
        let rows = summary.models.flatMap { model in
            model.errorGroups.map { group -> [Cell] in
                [.data(model.modelID), .text(group.errorClass.rawValue), .number(Double(group.count), "\(group.count)"),
                 .data(Formatting.truncated(group.exampleMessage, to: 200))]
            }
        }
        return [.section("Errors"), .table(Table([.text("Model", .leading), .text("Error class", .leading),
                                                  .text("Count", .trailing), .text("Example", .leading)], rows))]
    }
}
