import ArgumentParser
import Foundation
import Testing
@testable import tradeoff
import Yams

/// The CI examples in `examples/ci/` are YAML their CI reads, and every `tradeoff` command line
/// in them parses with the CLI's own parser, so they cannot rot as flags change.
struct CIExamplesTests {
    static let folder = CLITests.repository.appendingPathComponent("examples/ci")

    /// What the examples' variables stand for when a line is parsed.
    static let variables = ["${{ matrix.shard }}": "1", "$CI_NODE_INDEX": "1", "$CI_NODE_TOTAL": "4",
                            "$SUITE": "suites/nightly.yaml"]

    /// Every string value of the YAML tree, in document order.
    static func strings(in node: Node) -> [String] {
        switch node {
        case .scalar(let scalar): [scalar.string]
        case .sequence(let sequence): sequence.flatMap(strings)
        case .mapping(let mapping): mapping.flatMap { strings(in: $0.value) }
        case .alias: []
        }
    }

    /// The shell scripts of the YAML tree: the values of `run` (GitHub), `script` and
    /// `before_script` (GitLab) keys.
    static func scripts(in node: Node, isScript: Bool = false) -> [String] {
        switch node {
        case .scalar(let scalar): isScript ? [scalar.string] : []
        case .sequence(let sequence): sequence.flatMap { scripts(in: $0, isScript: isScript) }
        case .mapping(let mapping):
            mapping.flatMap { scripts(in: $0.value, isScript: ["run", "script", "before_script"].contains($0.key.string ?? "")) }
        case .alias: []
        }
    }

    /// The `tradeoff` command lines of a file's shell scripts, continuation lines joined, each
    /// split into its arguments with the variables filled in.
    static func commandLines(in file: String) throws -> (node: Node, lines: [[String]]) {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        let node = try #require(try Yams.compose(yaml: text), "\(file) is empty")
        var lines: [[String]] = []
        for script in scripts(in: node) {
            for line in script.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: "\n") {
                var line = line.trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("tradeoff ") else { continue }
                for (name, value) in variables { line = line.replacingOccurrences(of: name, with: value) }
                lines.append(Array(HelpExamplesTests.words(line).dropFirst()))
            }
        }
        return (node, lines)
    }

    @Test(arguments: ["github-actions.yml", "gitlab-ci.yml"])
    func everyCommandLineParses(_ file: String) throws {
        let (_, lines) = try Self.commandLines(in: file)
        var commands: [String] = []
        for arguments in lines {
            #expect(!arguments.contains { $0.contains("$") }, "\(file): a variable the test does not know in \(arguments)")
            do {
                commands.append(String(describing: type(of: try Tradeoff.parseAsRoot(arguments))))
            } catch {
                Issue.record("\(file): \(arguments) does not parse: \(Tradeoff.message(for: error))")
            }
        }
        // A nightly run with gates and JUnit, the shards, their merge and its report.
        #expect(Set(commands) == ["Validate", "Run", "Merge", "Report"], "\(file)")
        #expect(lines.contains { $0.first == "run" && $0.contains("--junit") && $0.contains("--gate") }, "\(file)")
        #expect(lines.contains { $0.first == "run" && $0.contains("--shard") }, "\(file)")
    }

    @Test func gitHubMergesEveryShardOfItsMatrixAndShowsTheJUnit() throws {
        let (node, lines) = try Self.commandLines(in: "github-actions.yml")
        let jobs = try #require(node["jobs"])
        let shards = try #require(jobs["shards"]?["strategy"]?["matrix"]?["shard"]?.sequence?.count)
        let merge = try #require(lines.first { $0.first == "merge" })
        #expect(merge.filter { $0.hasSuffix(".sqlite") }.count == shards + 1)
        #expect(lines.contains { $0.first == "run" && $0.contains("\(1)/\(shards)") })
        #expect(jobs["merge"]?["needs"]?.string == "shards")
        let uses = Self.strings(in: jobs).filter { $0.contains("@") }
        #expect(uses.contains("actions/upload-artifact@v4") && uses.contains("mikepenz/action-junit-report@v5"))
    }

    @Test func gitLabMergesEveryParallelJobAndReportsTheJUnit() throws {
        let (node, lines) = try Self.commandLines(in: "gitlab-ci.yml")
        let parallel = try #require(node["tradeoff-shard"]?["parallel"]?.int)
        let merge = try #require(lines.first { $0.first == "merge" })
        #expect(merge.filter { $0.hasSuffix(".sqlite") }.count == parallel + 1)
        for job in ["tradeoff-nightly", "tradeoff-merge"] {
            #expect(node[Node(job)]?["artifacts"]?["reports"]?["junit"]?.string == "reports/junit.xml", "\(job)")
        }
    }

    /// The Kubernetes example: its pods' `tradeoff` commands parse, the Job's completions are the
    /// shard count `--shard auto` reads, and the merge Job merges one database per pod.
    @Test func kubernetesJobsRunEveryShardAndMergeThem() throws {
        let folder = CLITests.repository.appendingPathComponent("examples/kubernetes")
        var commands: [[String]] = []
        var completions: Int?
        var shardCount: String?
        for file in ["indexed-job.yaml", "merge-job.yaml"] {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for document in try Yams.compose_all(yaml: text) {
                guard document["kind"]?.string == "Job" else { continue }
                let spec = try #require(document["spec"])
                if let count = spec["completions"]?.int { completions = count }
                let container = try #require(spec["template"]?["spec"]?["containers"]?.sequence?.first)
                for variable in container["env"]?.sequence ?? [] where variable["name"]?.string == "TRADEOFF_SHARD_COUNT" {
                    shardCount = variable["value"]?.string
                }
                for script in container["args"]?.sequence?.compactMap(\.string) ?? [] {
                    for line in script.components(separatedBy: "&&") {
                        let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
                            .replacingOccurrences(of: "$JOB_COMPLETION_INDEX", with: "0")
                        guard line.hasPrefix("tradeoff ") else { continue }
                        commands.append(Array(HelpExamplesTests.words(line).dropFirst()))
                    }
                }
            }
        }
        for arguments in commands {
            do { _ = try Tradeoff.parseAsRoot(arguments) } catch {
                Issue.record("\(arguments) does not parse: \(Tradeoff.message(for: error))")
            }
        }
        #expect(commands.map { $0.first } == ["run", "merge", "push", "report"])
        let shards = try #require(completions)
        #expect(shardCount == String(shards))
        #expect(commands.first?.contains("auto") == true)
        #expect(commands.first { $0.first == "merge" }?.filter { $0.hasSuffix(".sqlite") }.count == shards + 1)
    }
}
