import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TradeoffKit

/// The JUnit file as its readers see it: valid against Jenkins' schema, class names Jenkins
/// keeps whole, and what GitLab's test report shows for each test.
struct JUnitReportTests {
    /// The mixed run with two gates, one failing per model it names.
    private static var mixedXML: String {
        get throws {
            let (summary, _) = ReportFixture.mixed
            let checks = Checks(gates: [try Gate(parsing: "quality(*) >= 0.5"), try Gate(parsing: "cost_per_case(*) <= $0.001")],
                                summary: summary)
            return JUnitReport(summary, checks: checks).render()
        }
    }

    /// A suite and model ids with dots, as the demo's `claude-sonnet-4.5`.
    private static var dottedXML: String {
        get throws {
            let run = RunRecord(id: 7, suite: "demo.v2", suitePath: "demo.yaml", suiteHash: "h", catalogPath: "c.yaml",
                                toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
            let cases = [CaseRecord(runId: 7, taskId: "math.add", caseId: "1", position: 0, variables: [:])]
            let calls = [ReportFixture.answer("claude-sonnet-4.5", "math.add", "1", "2", score: 1, cost: 10, latency: 1500, runID: 7)]
            let summary = RunSummary(run: run, models: [ReportFixture.model("claude-sonnet-4.5", "a/claude", .frontier,
                                                                            price: ("3", "15"), simulated: true, runID: 7)],
                                     cases: cases, calls: calls)
            let checks = Checks(gates: [try Gate(parsing: "quality(claude-sonnet-4.5) >= 0.5")], summary: summary)
            return JUnitReport(summary, checks: checks).render()
        }
    }

    @Test func followsJenkinsSchemaRules() throws {
        let rules = try SchemaRules.load()
        for xml in [try Self.mixedXML, try Self.dottedXML, JUnitReport(ReportFixture.minimal.summary, checks: Checks(gates: [],
                                                                        summary: ReportFixture.minimal.summary)).render()] {
            let root = try XMLTree.parse(xml)
            #expect(rules.violations(root) == [])
        }
    }

    /// The rules catch what they claim to: a checker that passes everything proves nothing.
    @Test func schemaRulesRejectWhatTheSchemaRejects() throws {
        let rules = try SchemaRules.load()
        let bad = """
            <testsuites time="1,5s"><testsuite name="s" tests="1" failures="0"><testcase classname="c">\
            <failure message="m">x</failure><stdout/></testcase></testsuite></testsuites>
            """
        #expect(rules.violations(try XMLTree.parse(bad)) == [
            "testsuites: time '1,5s' does not match the schema's pattern",
            "testsuite: missing required attribute errors",
            "testcase: missing required attribute name",
            "testcase: element stdout not allowed here",
        ])
    }

    /// Jenkins splits `classname` at its last dot: no class name may hold one, so the package is
    /// `(root)` and the class is the suite; the dotted model id stays whole in the test name.
    @Test func classNamesHaveNoDotsForJenkinsToSplit() throws {
        let root = try XMLTree.parse(try Self.dottedXML)
        let tests = root.all("testcase")
        #expect(tests.map { $0.attributes["classname"] } == ["demo_v2 gates", "demo_v2"])
        #expect(tests.map { $0.attributes["name"] } == ["quality(claude-sonnet-4.5) >= 0.5 [claude-sonnet-4.5]",
                                                      "claude-sonnet-4.5 › math.add"])
        #expect(root.all("testsuite").map { $0.attributes["name"] } == ["demo.v2 gates", "demo.v2"])
        #expect(tests.last?.attributes["time"] == "1.500")
    }

    /// What GitLab's JUnit parser makes of each test: its status from `<failure>`/`<error>`, and
    /// as the text it shows, that element's body (not the `message` attribute, not system-out).
    @Test func readsAsGitLabShowsIt() throws {
        let root = try XMLTree.parse(try Self.mixedXML)
        var lines: [String] = []
        for suite in root.all("testsuite") {
            for test in suite.children where test.name == "testcase" {
                let problem = test.children.first { $0.name == "failure" || $0.name == "error" }
                let status = problem.map { $0.name == "failure" ? "failed" : "error" } ?? "success"
                let shown = problem?.text ?? ""
                if let problem { #expect(problem.attributes["message"] == shown) }
                lines.append([suite.attributes["name"], test.attributes["classname"], test.attributes["name"],
                              status, test.attributes["time"], shown].map { $0 ?? "-" }.joined(separator: " | "))
            }
        }
        let mismatch = try Golden.mismatch(lines.joined(separator: "\n") + "\n", "mixed.junit.gitlab.txt")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Counts are what the tests say: a model × task whose calls produced no answer is an error,
    /// a failed gate a failure, and each suite carries its time and the run's start.
    @Test func countsErrorsFailuresTimeAndTimestamp() throws {
        let root = try XMLTree.parse(try Self.mixedXML)
        #expect(root.attributes["tests"] == "11" && root.attributes["failures"] == "2" && root.attributes["errors"] == "3")
        let suites = root.all("testsuite")
        #expect(suites.map { $0.attributes["errors"] } == ["0", "3"])
        #expect(suites.map { $0.attributes["failures"] } == ["2", "0"])
        #expect(suites.allSatisfy { $0.attributes["timestamp"] == "2025-05-01T12:00:00" })
        for suite in suites {
            let tests = suite.children.filter { $0.name == "testcase" }
            #expect(String(suite.attributes["errors"] ?? "") == "\(tests.filter { $0.children.contains { $0.name == "error" } }.count)")
            let sum = tests.compactMap { Double($0.attributes["time"] ?? "") }.reduce(0, +)
            #expect(abs((Double(suite.attributes["time"] ?? "") ?? -1) - sum) < 0.0015)
        }
        #expect(JUnitReport.time(1234.5678) == "1234.568" && JUnitReport.time(.nan) == "0.000")
        #expect(JUnitReport.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00")
    }
}

/// A parsed XML element.
private struct XMLTree {
    var name: String
    var attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    /// Every element named `name` below this one, in document order.
    func all(_ name: String) -> [XMLTree] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
    }

    static func parse(_ xml: String) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        return root
    }

    struct ParseError: Error, CustomStringConvertible { var description: String }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            stack.append(XMLTree(name: name, attributes: attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = stack.removeLast()
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}

/// The rules of `Fixtures/junit/junit-10.rules`.
private struct SchemaRules {
    struct Element {
        var children: Set<String> = []
        var required: Set<String> = []
        var optional: Set<String> = []
        var text = false
    }

    var root = ""
    var elements: [String: Element] = [:]
    var patterns: [String: String] = [:]

    static func load() throws -> SchemaRules {
        let url = Golden.folder.deletingLastPathComponent().appendingPathComponent("junit/junit-10.rules")
        var rules = SchemaRules()
        var current: String?
        for raw in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let words = line.split(separator: " ").map(String.init)
            let rest = Set(words.dropFirst())
            switch words[0] {
            case "root": rules.root = words[1]
            case "element": current = words[1]; rules.elements[words[1]] = Element()
            case "pattern": rules.patterns[words[1]] = words.dropFirst(2).joined(separator: " ")
            case "children": rules.elements[current!]!.children = rest
            case "required": rules.elements[current!]!.required = rest
            case "optional": rules.elements[current!]!.optional = rest
            case "text": rules.elements[current!]!.text = true
            default: throw XMLTree.ParseError(description: "unknown rule '\(line)'")
            }
        }
        return rules
    }

    /// What in `root` breaks the rules, one line each.
    func violations(_ root: XMLTree) -> [String] {
        var found: [String] = []
        if root.name != self.root { found.append("root is \(root.name), not \(self.root)") }
        check(root, into: &found)
        return found
    }

    private func check(_ element: XMLTree, into found: inout [String]) {
        guard let rule = elements[element.name] else { return }
        for name in rule.required.sorted() where element.attributes[name] == nil {
            found.append("\(element.name): missing required attribute \(name)")
        }
        for (name, value) in element.attributes.sorted(by: { $0.key < $1.key }) {
            if !rule.required.contains(name) && !rule.optional.contains(name) {
                found.append("\(element.name): attribute \(name) not allowed")
            }
            if let pattern = patterns[name], value.wholeMatch(of: try! Regex(pattern)) == nil {
                found.append("\(element.name): \(name) '\(value)' does not match the schema's pattern")
            }
        }
        if !rule.text && !element.text.allSatisfy(\.isWhitespace) {
            found.append("\(element.name): text not allowed")
        }
        for child in element.children {
            if rule.children.contains(child.name) && elements[child.name] != nil {
                check(child, into: &found)
            } else {
                found.append("\(element.name): element \(child.name) not allowed here")
            }
        }
    }
}
