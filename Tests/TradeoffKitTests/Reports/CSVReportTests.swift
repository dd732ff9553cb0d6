import Foundation
import Testing
@testable import TradeoffKit

struct CSVReportTests {
    @Test(arguments: [("mixed", ReportFixture.mixed.summary), ("decision", ReportFixture.decision.summary)])
    func modelsAndTasksMatchGoldenFiles(name: String, summary: RunSummary) throws {
        let csv = CSVReport(summary)
        let models = try Golden.mismatch(csv.models(), "\(name).csv")
        #expect(models == nil, "\(models ?? "")")
        let tasks = try Golden.mismatch(csv.tasks(), "\(name).tasks.csv")
        #expect(tasks == nil, "\(tasks ?? "")")
        let routing = try Golden.mismatch(csv.routing(), "\(name).routing.csv")
        #expect(routing == nil, "\(routing ?? "")")
    }

    @Test func callsMatchGoldenFile() throws {
        let (summary, calls) = ReportFixture.mixed
        let mismatch = try Golden.mismatch(CSVReport(summary).calls(calls.map(ReportCall.init)), "mixed.calls.csv")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func rowsEndInCRLFAndStartWithTheSchemaVersion() {
        let (summary, calls) = ReportFixture.minimal
        let text = CSVReport(summary).calls(calls.map(ReportCall.init))
        #expect(text.hasSuffix("\r\n"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[0] == CSVReport.callColumns.joined(separator: ","))
        #expect(lines[1].hasPrefix("2,1,solo,only,1,0,true,1.000000,yes,"))
    }

    @Test func callsEndWithWhenTheyStartedInISO8601UTC() throws {
        let (summary, records) = ReportFixture.minimal
        var calls = records.map(ReportCall.init)
        calls[0].startedAt = Date(timeIntervalSince1970: 1_796_518_923.456)
        let lines = CSVReport(summary).calls(calls).components(separatedBy: "\r\n")
        #expect(CSVReport.callColumns.last == "started_at")
        #expect(lines[1].hasSuffix(",2026-12-06T01:02:03.456Z"))
        calls[0].startedAt = nil
        #expect(CSVReport(summary).calls(calls).components(separatedBy: "\r\n")[1].hasSuffix(","))
    }

    @Test(arguments: [0.0, 86_399.875, 951_782_400.5, 1_796_518_923.25, 4_102_444_800.125, -1.25])
    func timestampsMatchFoundationsISO8601(_ seconds: Double) {
        var writer = CSVWriter()
        let milliseconds = Int64((seconds * 1000).rounded())
        writer.timestamp(millisecondsSince1970: milliseconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(writer.text == formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
    }

    /// The writer's numbers and text cells are what the plain formatting gives.
    @Test(arguments: [Int64(0), 7, 10, 999_999, 1_000_000, 1_234_567, -5, -1_000_001, .max, .min + 1])
    func numbersAreWrittenDigitByDigitAsPrinted(_ value: Int64) {
        var writer = CSVWriter()
        writer.integer(value)
        writer.usd(value)
        writer.fixed(Double(value) / 1000, places: 3)
        let dollars = "\(value < 0 ? "-" : "")\(value.magnitude / 1_000_000).\(String(value.magnitude % 1_000_000).leftPadded(to: 6))"
        #expect(writer.text == "\(value),\(dollars),\(String(format: "%.3f", Double(value) / 1000))")
    }

    @Test(arguments: ["", "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rx", "=1+1", "-1.5", "-x", "+x", "@x", "\tx",
                      "héllo, wörld", String(repeating: "long text ", count: 20)])
    func textCellsAreTheFieldsCSVReportWrites(_ text: String) {
        var writer = CSVWriter()
        writer.text(text)
        #expect(writer.text == CSVReport.field(text))
        // A string without contiguous UTF-8 (bridged) takes the field's own path.
        var bridged = CSVWriter()
        bridged.text(NSString(string: text) as String)
        #expect(bridged.text == CSVReport.field(text))
    }

    @Test func everyRowHasEveryColumn() {
        let csv = CSVReport(ReportFixture.decision.summary)
        let skipped = CSVReport(ReportFixture.mixed.summary).routing()
        for (text, columns) in [(csv.models(), CSVReport.modelColumns), (csv.tasks(), CSVReport.taskColumns),
                                (csv.routing(), CSVReport.routingColumns), (skipped, CSVReport.routingColumns)] {
            for line in text.components(separatedBy: "\r\n").dropLast() {
                #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == columns.count, "\(line)")
            }
        }
    }

    /// The decision fixture's portfolio (classify to open-good, extract kept on frontier), by hand
    /// from its Markdown: 100% of frontier's quality at 55% of its cost, $1,100 at 2M/month.
    @Test func routingHasARowPerTaskThenThePortfolio() throws {
        let lines = CSVReport(ReportFixture.decision.summary).routing().components(separatedBy: "\r\n")
        #expect(lines.count == 5 && lines[4].isEmpty)
        let header = lines[0].components(separatedBy: ",")
        let rows = lines[1...3].map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
        #expect(rows.map { $0["row"] } == ["task", "task", "portfolio"])
        #expect(rows.map { $0["task_id"] } == ["classify", "extract", ""])
        #expect(rows.map { $0["model_id"] } == ["open-good", "frontier", ""])
        #expect(rows.map { $0["reason"] } == ["non-inferior", "reference", ""])
        #expect(rows.map { $0["shared_cases"] } == ["40", "", ""])
        #expect(rows.map { $0["cases"] } == ["40", "40", "80"])
        let portfolio = rows[2]
        #expect(portfolio["quality"] == "1.000000" && portfolio["quality_interval"] == "bootstrap-stratified")
        #expect(portfolio["cost_per_1k_cases_usd"] == "0.550000" && portfolio["monthly_cost_usd"] == "1100.000000")
        #expect(portfolio["reference_id"] == "frontier" && portfolio["reference_cost_per_1k_cases_usd"] == "1.000000")
        #expect(portfolio["relative_cost"] == "0.550000" && portfolio["best_single_id"] == "open-good")
        #expect(portfolio["best_single_relative_cost"] == "5.500000")
    }

    @Test func routingWithoutAPortfolioGivesTheReasonOnItsOneRow() {
        let summary = ReportFixture.mixed.summary
        let skip = summary.routing.skip
        let lines = CSVReport(summary).routing().components(separatedBy: "\r\n")
        #expect(lines.count == 3, "\(lines)")
        let row = lines[1].components(separatedBy: ",")
        #expect(Array(row.prefix(9)) == ["2", "42", "portfolio", "", "", "", skip?.modelID ?? "", skip?.code ?? "", ""])
        #expect(skip != nil)
    }

    @Test(arguments: [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("=1", "'=1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-", "'-"),
        ("-1e", "'-1e"),
        ("-0x10", "'-0x10"),
        ("@user", "'@user"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("-42", "-42"),
        ("-1.5e3", "-1.5e3"),
        ("-.5", "-.5"),
        ("+7", "+7"),
        ("-3.", "-3."),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (" =x", " =x"),
        ("", ""),
    ])
    func neutralizesFormulas(text: String, expected: String) {
        #expect(CSVReport.neutralized(text) == expected)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("a\nb", "\"a\nb\""),
        ("a\r\nb", "\"a\r\nb\""),
        ("=A1,B1", "\"'=A1,B1\""),
        ("\rX", "\"'\rX\""),
        ("-1,5", "\"'-1,5\""),
        ("", ""),
    ])
    func quotesFieldsPerRFC4180(text: String, expected: String) {
        #expect(CSVReport.field(text) == expected)
    }

    @Test(arguments: [
        (0, "0.000000"), (7, "0.000007"), (12_345, "0.012345"), (1_500_000, "1.500000"), (-250, "-0.000250"),
        (Int64.max, "9223372036854.775807"), (Int64.min, "-9223372036854.775808"),
    ] as [(Int64, String)])
    func writesDollarsExactlyFromMicros(micros: Int64, expected: String) {
        #expect(CSVReport.usd(micros) == expected)
    }

    @Test func leavesDollarColumnsEmptyWhenUnpriced() throws {
        let text = CSVReport(ReportFixture.mixed.summary).models()
        let local = try #require(text.components(separatedBy: "\r\n").first { $0.contains(",local-c,") })
        let cells = local.split(separator: ",", omittingEmptySubsequences: false)
        let column = { (name: String) in String(cells[CSVReport.modelColumns.firstIndex(of: name)!]) }
        #expect(column("cost_total_usd") == "" && column("cost_per_case_usd") == "")
        #expect(column("errors") == "2")
    }

    /// Each cell at its longest fits the room the writer makes for it (it traps otherwise), and
    /// is still what printf, Foundation and `CSVReport.field` write.
    @Test func theLongestCellsFitTheirRoom() {
        typealias Cursor = CSVWriter.Cursor
        func written(room: Int, _ body: (inout Cursor) -> Void) -> String {
            var writer = CSVWriter()
            writer.write(room: 1 + room) { cursor in
                cursor.integer(0)  // so that the cell under test has its comma
                body(&cursor)
            }
            #expect(writer.count - 1 <= room)
            return String(writer.text.dropFirst(2))
        }
        for value in [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .nan, -.infinity] {
            #expect(written(room: Cursor.fixedRoom) { $0.fixed(value, places: 6) } == String(format: "%.6f", value))
        }
        #expect(written(room: Cursor.integerRoom) { $0.integer(.min) } == "\(Int64.min)")
        #expect(written(room: Cursor.usdRoom) { $0.usd(.min) } == CSVReport.usd(.min))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for milliseconds in [Int64.min, -62_135_596_800_001] {
            #expect(written(room: Cursor.timestampRoom) { $0.timestamp(millisecondsSince1970: milliseconds) }
                == formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
        }
        for text in ["=\"\"\"", "-\"", String(repeating: "\"", count: 50), "héllo, \"wörld\""] {
            #expect(written(room: Cursor.room(text)) { $0.text(text) } == CSVReport.field(text))
        }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
