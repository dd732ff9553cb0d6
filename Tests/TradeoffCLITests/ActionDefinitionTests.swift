import Foundation
import Testing
@testable import tradeoff
import Yams

/// `action.yml` and the pull-request example that uses it: every input the action's steps use is
/// declared, reaches `scripts/github-action` under the name it reads, and every output is one the
/// script writes; the example gives only declared inputs, whose gates and flags parse as a
/// `tradeoff run`, and downloads the baseline the nightly example uploads.
struct ActionDefinitionTests {
    static let repository = CLITests.repository

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    static func yaml(_ path: String) throws -> Node {
        try #require(try Yams.compose(yaml: text(path)), "\(path) is empty")
    }

    /// The names `pattern`'s first group matches in `text`.
    static func matches(_ pattern: String, in text: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        })
    }

    @Test func everyInputIsDeclaredAndReachesTheScriptUnderItsName() throws {
        let action = try Self.yaml("action.yml")
        let declared = Set(try #require(action["inputs"]?.mapping).keys.compactMap(\.string))
        let steps = try #require(action["runs"]?["steps"]?.sequence)
        #expect(action["runs"]?["using"]?.string == "composite")
        let stepsText = try #require(try Self.text("action.yml").components(separatedBy: "\nruns:").last)
        let used = try Self.matches(#"inputs\.([a-z][a-z0-9-]*)"#, in: stepsText)
        #expect(used.subtracting(declared).isEmpty, "used but not declared: \(used.subtracting(declared))")
        #expect(declared.subtracting(used).isEmpty, "declared but never used: \(declared.subtracting(used))")
        for name in declared where action["inputs"]?[Node(name)]?["required"]?.bool != true {
            #expect(action["inputs"]?[Node(name)]?["default"] != nil, "\(name) has neither required nor a default")
        }

        // The run step hands INPUT_X from inputs.x, and the script reads exactly those.
        let run = try #require(steps.first { $0["id"]?.string == "run" })
        let environment = try #require(run["env"]?.mapping)
        let script = try Self.text("scripts/github-action")
        let read = try Self.matches(#"\$\{?(INPUT_[A-Z_]+)"#, in: script)
        #expect(Set(environment.keys.compactMap(\.string)) == read)
        for (key, value) in environment {
            let name = try #require(key.string).dropFirst("INPUT_".count).lowercased().replacingOccurrences(of: "_", with: "-")
            #expect(value.string == "${{ inputs.\(name) }}", "\(key.string ?? "")")
        }
        #expect(run["run"]?.string?.contains("$GITHUB_ACTION_PATH/scripts/github-action") == true)

        // Every output the action and its steps read from the run step is one the script writes.
        let written = try Self.matches(#"\boutput ([a-z_]+) "#, in: script)
        let actionText = try Self.text("action.yml")
        let readOutputs = try Self.matches(#"steps\.run\.outputs\.([a-z_]+)"#, in: actionText)
        #expect(!readOutputs.isEmpty && readOutputs.isSubset(of: written), "\(readOutputs.subtracting(written))")
        #expect(written.isSuperset(of: ["exit_code", "report_path", "headline", "comment_path"]))

        // The comment step finds its comment by the marker the script writes.
        let marker = "<!-- tradeoff-report -->"
        #expect(script.contains("marker='\(marker)'"))
        let comment = try #require(steps.first { $0["uses"]?.string?.hasPrefix("actions/github-script@") == true })
        #expect(comment["with"]?["script"]?.string?.contains("'\(marker)'") == true)
        #expect(steps.contains { $0["uses"]?.string == "actions/upload-artifact@v4" })
        // The last step fails the job with tradeoff's code, after the artefacts and the comment.
        #expect(steps.last?["run"]?.string?.contains("exit \"$code\"") == true)
    }

    @Test func thePullRequestExampleGivesDeclaredInputsAndTheNightlyBaseline() throws {
        let action = try Self.yaml("action.yml")
        let declared = Set(try #require(action["inputs"]?.mapping).keys.compactMap(\.string))
        let required = declared.filter { action["inputs"]?[Node($0)]?["required"]?.bool == true }
        let workflow = try Self.yaml("examples/ci/pr-gate.yml")
        #expect(workflow["on"]?["pull_request"] != nil)
        #expect(workflow["permissions"]?["pull-requests"]?.string == "write")
        let steps = try #require(workflow["jobs"]?["gate"]?["steps"]?.sequence)
        let step = try #require(steps.first { $0["uses"]?.string?.hasSuffix("/tradeoff@main") == true })
        let with = try #require(step["with"]?.mapping)
        let given = Set(with.keys.compactMap(\.string))
        #expect(given.subtracting(declared).isEmpty, "not inputs of action.yml: \(given.subtracting(declared))")
        #expect(required.isSubset(of: given))

        // What the action's script makes of the inputs parses as a `tradeoff run`.
        var arguments = ["run", "suites/nightly.yaml"]
        for gate in (with["gates"]?.string ?? "").split(separator: "\n") {
            arguments += ["--gate", gate.trimmingCharacters(in: .whitespaces)]
        }
        let baseline = try #require(with["baseline"]?.string)
        arguments += ["--db", try #require(with["database"]?.string), "--baseline", baseline]
        if with["fail-on-regression"]?.string == "true" { arguments.append("--fail-on-regression") }
        arguments += HelpExamplesTests.words(with["args"]?.string ?? "")
        do {
            #expect(try Tradeoff.parseAsRoot(arguments) is Run)
        } catch {
            Issue.record("\(arguments) does not parse: \(Tradeoff.message(for: error))")
        }

        // The baseline is the database the nightly example uploads, under the name it uploads it.
        let download = try #require(steps.first { $0["uses"]?.string == "actions/download-artifact@v4" })
        let folder = try #require(download["with"]?["path"]?.string)
        let nightly = try Self.yaml("examples/ci/github-actions.yml")
        let upload = try #require(nightly["jobs"]?["nightly"]?["steps"]?.sequence?.first {
            $0["uses"]?.string == "actions/upload-artifact@v4"
        })
        #expect(download["with"]?["name"]?.string == upload["with"]?["name"]?.string)
        let uploaded = (upload["with"]?["path"]?.string ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(uploaded.contains { "\(folder)/\($0)" == baseline }, "\(baseline) is not one of \(uploaded) under \(folder)")
        // ... from the nightly workflow under the file name its header says to copy it to.
        let finder = try #require(steps.first { $0["id"]?.string == "nightly" })
        let workflowFile = try #require(try Self.matches(#"workflow_id: '([^']+)'"#, in: finder["with"]?["script"]?.string ?? "").first)
        #expect(try Self.text("examples/ci/github-actions.yml").contains(".github/workflows/\(workflowFile)"))
    }
}
