import Foundation
import TradeoffKit

/// The expected answers of a suite's cases, found by the conversation that asks for them, so a
/// simulated model can answer a user's own suite (`answers_from:` in the config).
///
/// The fake provider never sees the suite through the wire: it loads the same file with
/// Tradeoff's `SuiteLoader`, renders each case's conversation as `tradeoff run` does (the task's
/// wording and every model's own wording of `overrides:`), and reads the expected value off
/// the case's graders (``ExpectedAnswer``). A request is matched by its whole conversation,
/// else by its last user turn when that names one answer.
public struct AnswerKey: Sendable, Hashable {
    /// One case's answer.
    struct Entry: Sendable, Hashable {
        /// What the case expects.
        var expected: ExpectedAnswer
        /// The case's position in the suite (0-based, over all tasks), which spreads a model's
        /// right answers evenly over the cases.
        var position: Int
        /// The case's task, whose own accuracy (`simulated: {tasks: ...}`) applies.
        var taskID: String
    }

    /// Entries by the conversation text (`role: content` lines).
    private var byConversation: [String: Entry] = [:]
    /// Entries by the last user turn; nil when two cases with different answers share it.
    private var byPrompt: [String: Entry?] = [:]
    /// The suite's file, for messages.
    public let suitePath: String
    /// How many cases have an expected answer.
    public private(set) var count = 0
    /// The suite's task ids, in suite order.
    public let taskIDs: [String]

    /// The key to `suite`'s cases.
    public init(suite: Suite) {
        suitePath = suite.path
        taskIDs = suite.tasks.map(\.id)
        var position = 0
        for task in suite.tasks {
            for testCase in task.cases {
                defer { position += 1 }
                guard let expected = ExpectedAnswer(graders: task.graders + testCase.graders,
                                                    variables: testCase.variables) else { continue }
                count += 1
                let entry = Entry(expected: expected, position: position, taskID: task.id)
                let wordings: [String?] = [nil] + task.modelsWithOwnWording.map { Optional($0) }
                for modelID in wordings {
                    let turns = task.conversation(for: testCase, modelID: modelID)
                    byConversation[Self.text(turns.map { ($0.role.rawValue, $0.content) })] = entry
                    if let last = turns.last(where: { $0.role == .user })?.content {
                        if let earlier = byPrompt[last], earlier?.expected != expected {
                            byPrompt[last] = .some(nil)
                        } else {
                            byPrompt[last] = entry
                        }
                    }
                }
            }
        }
    }

    /// Loads the suite at `path` (with its datasets and catalog, as `tradeoff run` would).
    ///
    /// - Parameter path: The suite file, relative to the working directory.
    /// - Throws: The suite's own located diagnostics when it does not load.
    public static func load(path: String) throws -> AnswerKey {
        AnswerKey(suite: try SuiteLoader().load(suitePath: path).suite)
    }

    /// The entry for a conversation, if the suite asks it.
    func entry(for messages: [ChatMessage]) -> Entry? {
        let turns = messages.map { ($0.role == "developer" ? "system" : $0.role, $0.content) }
        if let entry = byConversation[Self.text(turns)] { return entry }
        guard let last = messages.last(where: { $0.role == "user" })?.content, let found = byPrompt[last] else { return nil }
        return found
    }

    /// The conversation as one text, the same for the suite's turns and a request's.
    private static func text(_ turns: [(role: String, content: String)]) -> String {
        turns.map { "\($0.role): \($0.content)" }.joined(separator: "\n")
    }
}
