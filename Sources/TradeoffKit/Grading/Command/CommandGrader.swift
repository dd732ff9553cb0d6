import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command grader once: spawns the program (no shell) in its own process group in the
/// suite's folder, writes the request to its standard input, and reads its verdict.
///
/// A timeout kills the whole process group (so a script's children die too); a timeout, a
/// non-zero exit, a signal or output that is not the verdict JSON is a grader error whose
/// reason carries the command's standard error, trimmed. What it prints is bounded while it is
/// read: more than `ChildProcess.outputLimit` on standard output kills it (a grader error), and
/// only the last `ChildProcess.errorTail` bytes of standard error are kept.
struct CommandGrader {
    let spec: CommandSpec

    init(_ spec: CommandSpec) { self.spec = spec }

    /// What the command is told, as JSON on standard input.
    struct Request: Encodable {
        var answer: String
        var variables: [String: String]
        var expected: String?
        var task: String?
        var `case`: String?
        var model: String?
        var system: String?
        var prompt: String?
    }

    /// Grades `answer`.
    func run(answer: String, variables: [String: String], context: GradingContext?) -> Grader.Check {
        let request = Request(answer: answer, variables: variables, expected: spec.expected?.render(variables),
                              task: context?.taskID, case: context?.caseID, model: context?.modelID,
                              system: context?.system, prompt: context?.prompt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let input = (try? encoder.encode(request)) ?? Data("{}".utf8)
        let name = spec.argv.first ?? ""
        switch ChildProcess.run(argv: spec.argv, directory: spec.workingDirectory, input: input, timeout: spec.timeout,
                                hiding: spec.hiddenEnvironment) {
        case .failure(let problem):
            return .error("command '\(name)' \(problem)")
        case .success(let result):
            let stderr = Self.trimmed(result.stderr, cut: result.stderrCut)
            let detail = stderr.isEmpty ? "" : ": \(stderr)"
            switch result.ending {
            case .printedTooMuch:
                return .error("command '\(name)' printed more than \(ChildProcess.outputLimit / 1_000_000) MB on standard "
                              + "output; it must print one JSON verdict, like {\"score\": 1}\(detail)")
            case .timedOut:
                return .error("command '\(name)' timed out after \(NumberText.format(spec.timeout)) s\(detail)")
            case .signal(let number):
                return .error("command '\(name)' was killed by signal \(number)\(detail)")
            case .exited(let status) where status != 0:
                return .error("command '\(name)' exited with status \(status)\(detail)")
            case .exited:
                return Self.verdict(from: result.stdout, name: name, detail: detail)
            }
        }
    }

    /// Reads `{"score": 0..1, "passed": bool, "reason": "..."}`; `passed` defaults to a full
    /// score, `reason` to nothing.
    static func verdict(from output: Data, name: String, detail: String) -> Grader.Check {
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let parsed = try? JSONTree.value(in: text), case .object(let members) = parsed.jsonValue else {
            return .error("command '\(name)' printed \(text.isEmpty ? "nothing" : Grader.quoted(text)), not a JSON "
                          + #"object like {"score": 1, "passed": true, "reason": "..."}"# + detail)
        }
        guard let score = members["score"]?.numericValue, (0...1).contains(score) else {
            let got = members["score"].map { "'score' \($0.compactText)" } ?? "no 'score'"
            return .error("command '\(name)' printed \(got); 'score' must be a number from 0 to 1")
        }
        var passed = score >= 1
        if let value = members["passed"] {
            guard case .bool(let flag) = value else {
                return .error("command '\(name)' printed 'passed' \(value.compactText); it must be true or false")
            }
            passed = flag
        }
        var reason = "command '\(name)': score \(Grader.measure(score))"
        if case .string(let given)? = members["reason"], !given.isEmpty { reason = given }
        return Grader.Check(passed, reason, score: score)
    }

    /// Standard error as one short line: whitespace trimmed, the last 300 characters kept
    /// (where errors usually are). `cut`: `data` is the tail of a longer text.
    static func trimmed(_ data: Data, cut: Bool = false) -> String {
        // A tail may begin inside a character: skip its continuation bytes.
        let bytes = cut ? data.drop(while: { $0 & 0xC0 == 0x80 }) : data[...]
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " | ")
        if text.count > 300 { return "…" + String(text.suffix(299)) }
        return cut && !text.isEmpty ? "…" + text : text
    }
}
