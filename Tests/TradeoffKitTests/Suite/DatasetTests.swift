import Foundation
import Testing
@testable import TradeoffKit

/// JSONL and CSV reading, and the errors each reports at its line.
struct DatasetTests {
    private func parse(_ text: String, _ format: Dataset.Format) -> (rows: [Dataset.Row], errors: [String]) {
        var log = DiagnosticLog()
        let dataset = Dataset.parse(text, file: "data/d", format: format, log: &log)
        return (dataset.rows, log.sorted.map(\.description))
    }

    // MARK: JSONL

    @Test(arguments: [
        (#"{"v": "text"}"#, "text"),
        (#"{"v": 42}"#, "42"),
        (#"{"v": 42.0}"#, "42.0"),
        (#"{"v": -1.5e3}"#, "-1.5e3"),
        (#"{"v": true}"#, "true"),
        (#"{"v": false}"#, "false"),
        (#"{"v": null}"#, ""),
        (#"{"v": [1, "a", {"b": null}]}"#, #"[1,"a",{"b":null}]"#),
        (#"{"v": {"q": "say \"hi\"\n", "n": []}}"#, #"{"q":"say \"hi\"\n","n":[]}"#),
        (#"{"v": "caf\u00e9 \ud83d\ude00 \/ \t"}"#, "café 😀 / \t"),
        (#"{"v": "naïve"}"#, "naïve"),
    ])
    func jsonValuesBecomeText(line: String, expected: String) {
        let (rows, errors) = parse(line, .jsonl)
        #expect(errors.isEmpty)
        #expect(rows.first?.values["v"] == expected)
    }

    @Test func jsonlSkipsBlankLinesAndKeepsLineNumbers() {
        let (rows, errors) = parse("\u{FEFF}{\"a\": \"1\"}\n\n   \r\n{\"a\": \"2\"}\r\n", .jsonl)
        #expect(errors.isEmpty)
        #expect(rows == [Dataset.Row(line: 1, values: ["a": "1"]), Dataset.Row(line: 4, values: ["a": "2"])])
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, "data/d:1:9: error: invalid JSON: expected a quoted key\n{\"a\": 1,}\n        ^"),
        (#"{"a": "x"#, "data/d:1:7: error: invalid JSON: unterminated string\n{\"a\": \"x\n      ^"),
        (#"["a"]"#, "data/d:1:1: error: each line must be a JSON object, got an array\n[\"a\"]\n^"),
        (#"{"a": 01}"#, "data/d:1:7: error: invalid JSON: a number cannot start with 0 followed by digits\n{\"a\": 01}\n      ^"),
        (#"{"a": tru}"#, "data/d:1:7: error: invalid JSON: unexpected character 't'\n{\"a\": tru}\n      ^"),
        (#"{"a": 1} x"#, "data/d:1:10: error: invalid JSON: unexpected text after the JSON value\n{\"a\": 1} x\n         ^"),
        (#"{"a": 1, "a": 2}"#, "data/d:1:1: error: duplicate key 'a' in this row\n{\"a\": 1, \"a\": 2}\n^"),
        (#"{"é": "\q"}"#, "data/d:1:8: error: invalid JSON: invalid escape '\\q' in a string\n{\"é\": \"\\q\"}\n       ^"),
    ])
    func jsonlErrorsPointAtTheProblem(line: String, expected: String) {
        let (rows, errors) = parse(line, .jsonl)
        #expect(rows.isEmpty)
        #expect(errors == [expected])
    }

    @Test func aRowThatIsNotUTF8IsAnErrorAtItsLine() {
        var log = DiagnosticLog()
        var bytes: ArraySlice<UInt8>? = (Array(#"{"a": "1"}"#.utf8) + [0x0A, 0x7B, 0xFF, 0x7D, 0x0A])[...]
        var scanner = Dataset.Scanner(file: "data/d", format: .jsonl)
        var rows = 0
        scanner.scan(log: &log, next: { defer { bytes = nil }; return bytes }, row: { _, _ in rows += 1 })
        #expect(rows == 1 && !scanner.clean)
        // The line is shown with the bad byte replaced, so the row can be found.
        #expect(log.diagnostics.map(\.description) == ["data/d:2:1: error: the row is not UTF-8 text\n{\u{FFFD}}\n^"])
    }

    @Test func jsonlReportsEveryBadRowAndKeepsTheGoodOnes() {
        let (rows, errors) = parse("{\"a\": 1}\nnot json\n{\"a\": 3}\n{\n", .jsonl)
        #expect(rows.map(\.line) == [1, 3])
        #expect(errors == [
            "data/d:2:1: error: invalid JSON: unexpected character 'n'\nnot json\n^",
            "data/d:4:2: error: invalid JSON: expected a quoted key\n{\n ^",
        ])
    }

    // MARK: CSV

    @Test func csvQuotingAndLineEndings() {
        let text = "id,text,n\r\na,\"x, \"\"y\"\"\",1\r\nb,\"two\nlines\",\r\nc,plain \"inner\" quote,3\n"
        let (rows, errors) = parse(text, .csv)
        #expect(errors.isEmpty)
        #expect(rows == [
            Dataset.Row(line: 2, values: ["id": "a", "text": #"x, "y""#, "n": "1"]),
            Dataset.Row(line: 3, values: ["id": "b", "text": "two\nlines", "n": ""]),
            Dataset.Row(line: 5, values: ["id": "c", "text": #"plain "inner" quote"#, "n": "3"]),
        ])
    }

    @Test func csvHeaderNamesAreTrimmedAndTheLastLineNeedsNoNewline() {
        let (rows, errors) = parse(" a , b \n1,2", .csv)
        #expect(errors.isEmpty)
        #expect(rows == [Dataset.Row(line: 2, values: ["a": "1", "b": "2"])])
    }

    @Test func csvRowWithWrongFieldCountIsAnErrorAtItsLine() {
        let (rows, errors) = parse("a,b\n1,2\n1,2,3\n\"x\ny\"\n4,5\n", .csv)
        #expect(rows.map(\.line) == [2, 6])
        #expect(errors == [
            "data/d:3:1: error: row has 3 fields but the header has 2\n1,2,3\n^",
            "data/d:4:1: error: row has 1 field but the header has 2\n\"x\n^",
        ])
    }

    @Test(arguments: [
        ("a,b\n1,\"open\n2,3\n", "data/d:2:3: error: quoted field is never closed (add the closing '\"')\n1,\"open\n  ^"),
        ("a,b\n1,\"x\"y\n", "data/d:2:6: error: unexpected text after a quoted field (write a quote inside quotes as \"\")\n1,\"x\"y\n     ^"),
        ("a,,a\n", "data/d:1:1: error: column 2 of the header has no name\na,,a\n^\ndata/d:1:1: error: column 'a' appears twice in the header\na,,a\n^"),
        ("", "data/d: error: CSV file is empty; expected a header row naming the columns"),
    ])
    func csvStructuralErrors(text: String, expected: String) {
        let (rows, errors) = parse(text, .csv)
        #expect(rows.isEmpty)
        #expect(errors.joined(separator: "\n") == expected)
    }

    /// A quote left open on line 3 runs on to line 4's quotes: the error is where it opened,
    /// not where reading gave up.
    @Test func anUnclosedQuoteIsReportedWhereItOpened() {
        let (rows, errors) = parse("id,text\n1,ok\n2,\"Summarize this\n3,\"fine\"\n4,more\n", .csv)
        #expect(rows.map(\.line) == [2])
        #expect(errors == ["data/d:3:3: error: quoted field is never closed on its line (add the closing '\"'); read on, "
                           + "it ends at a quote 1 line down that is followed by text\n2,\"Summarize this\n  ^"])
    }

    @Test(arguments: [
        ("data/t.jsonl", Dataset.Format.jsonl), ("t.NDJSON", .jsonl), ("a/b.csv", .csv), ("t.json", nil), ("t", nil),
    ] as [(String, Dataset.Format?)])
    func formatFromExtension(path: String, format: Dataset.Format?) {
        #expect(Dataset.Format(path: path) == format)
    }
}

/// Datasets in a suite are read from their files a row at a time.
struct DatasetFileTests {
    private let suite = """
        suite: s
        models: models.yaml
        tasks:
          - id: t
            prompt: "{{q}}"
            dataset: data/q.jsonl
            graders: [{type: contains, value: "{{a}}"}]
          - id: c
            prompt: "{{q}}"
            dataset: data/q.csv
            graders: [{type: contains, value: "{{a}}"}]
        """

    @Test func casesAreReadFromTheFileAndASavedOverFileDoesNotChangeTheRun() throws {
        let fixture = try SuiteFixture([
            "suites/s.yaml": suite,
            "suites/data/q.jsonl": "{\"id\": \"one\", \"q\": \"1+1\", \"a\": \"2\"}\n\n{\"q\": \"2+2\", \"a\": \"4\"}\n",
            "suites/data/q.csv": "id,q,a\r\nx,\"multi\nline\",\"a, b\"\r\ny,plain,z\r\n",
        ])
        let loaded = try fixture.loader.load(suitePath: fixture.path("suites/s.yaml"))
        let jsonl = loaded.suite.tasks[0].cases, csv = loaded.suite.tasks[1].cases
        #expect(jsonl.dataset != nil && csv.dataset != nil)
        #expect(jsonl.map(\.id) == ["one", "2"])
        #expect(jsonl[1].variables == ["q": "2+2", "a": "4"])
        #expect(csv.map(\.id) == ["x", "y"])
        #expect(csv[0].variables == ["q": "multi\nline", "a": "a, b"])
        #expect(csv.dataset?.line(at: 1) == 4)

        // An editor saves a new file over it: the run keeps reading the one it loaded.
        let path = fixture.path("suites/data/q.jsonl")
        try "{\"id\": \"other\", \"q\": \"changed\", \"a\": \"x\"}\n".write(toFile: path + ".new", atomically: false, encoding: .utf8)
        #expect(rename(path + ".new", path) == 0)
        #expect(jsonl.map(\.id) == ["one", "2"])

        // A shard keeps its slice, read from the same file.
        var slice = csv
        slice.keep { $0.id == "y" }
        #expect(slice.count == 1 && slice[0].variables == ["q": "plain", "a": "z"])
    }
}
