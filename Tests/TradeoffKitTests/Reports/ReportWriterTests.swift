import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct ReportWriterTests {
    @Test func writesEveryReportIntoANewFolder() throws {
        try withTemporaryDirectory { directory in
            let (summary, calls) = ReportFixture.mixed
            let folder = directory.file("out/nested")
            let paths = try ReportWriter.write(summary, calls: calls.map(ReportCall.init), to: folder, name: "demo")
            let suffixes = [".md", ".svg", ".html", ".json", ".csv", ".tasks.csv", ".routing.csv", ".calls.csv"]
            #expect(paths == suffixes.map { folder + "/demo" + $0 })
            let contents = paths.map { String(decoding: FileManager.default.contents(atPath: $0) ?? Data(), as: UTF8.self) }
            let csv = CSVReport(summary)
            #expect(contents == [MarkdownReport(summary, chartFile: "demo.svg").render(), FrontierChart(summary).render(),
                                 HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init)),
                                            callsFile: "demo.calls.csv").render(), JSONReport(summary).render(), csv.models(), csv.tasks(), csv.routing(), csv.calls(calls.map(ReportCall.init))])
            // No temporary file is left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                    == ["demo.calls.csv", "demo.csv", "demo.html", "demo.json", "demo.md", "demo.routing.csv", "demo.svg", "demo.tasks.csv"])
        }
    }

    @Test func csvBOMPrefixesEachCSVFileAndChangesNothingElse() throws {
        try withTemporaryDirectory { directory in
            let (summary, calls) = ReportFixture.mixed
            let plain = try ReportWriter.write(summary, calls: calls.map(ReportCall.init), to: directory.file("plain"), name: "r")
            let marked = try ReportWriter.write(summary, calls: calls.map(ReportCall.init), to: directory.file("bom"), name: "r",
                                                csvBOM: true)
            for (plainPath, markedPath) in zip(plain, marked) {
                let before = try #require(FileManager.default.contents(atPath: plainPath))
                let after = try #require(FileManager.default.contents(atPath: markedPath))
                if markedPath.hasSuffix(".csv") {
                    #expect(Array(after.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(markedPath)")
                    #expect(after.dropFirst(3) == before, "\(markedPath)")
                    #expect(before.first != 0xEF, "\(plainPath): no BOM by default")
                } else {
                    #expect(after == before, "\(markedPath)")
                }
            }
            #expect(marked.filter { $0.hasSuffix(".csv") }.count == 4)
        }
    }

    @Test func replacesAnEarlierReport() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.file("reports")
            _ = try ReportWriter.write(ReportFixture.mixed.summary, calls: ReportFixture.mixed.calls.map(ReportCall.init), to: folder,
                                       name: "r")
            let (summary, calls) = ReportFixture.minimal
            let paths = try ReportWriter.write(summary, calls: calls.map(ReportCall.init), to: folder, name: "r")
            #expect(FileManager.default.contents(atPath: paths[0])
                    == Data(MarkdownReport(summary, chartFile: "r.svg").render().utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 8)
        }
    }

    @Test(arguments: [("demo", "demo"), ("team/suite", "team-suite"), ("", "report"), ("..", "report")])
    func keepsFilesInTheFolder(name: String, expected: String) {
        #expect(ReportWriter.fileName(name) == expected)
    }

    @Test(arguments: [("demo.svg", "demo.svg"), ("my report (v2).svg", "my%20report%20%28v2%29.svg")])
    func linksTheChartSafely(file: String, expected: String) {
        #expect(ReportWriter.linkTarget(file) == expected)
    }

    @Test func appendsToTheStepSummaryAndWritesSingleFiles() throws {
        try withTemporaryDirectory { directory in
            let summary = directory.file("summary.md")
            try ReportWriter.append("one\n", to: summary)
            try ReportWriter.append("two\n", to: summary)
            #expect(try String(contentsOfFile: summary, encoding: .utf8) == "one\ntwo\n")
            try ReportWriter.write("<x/>\n", to: directory.file("deep/er/junit.xml"))
            #expect(FileManager.default.contents(atPath: directory.file("deep/er/junit.xml")) == Data("<x/>\n".utf8))
        }
    }

    @Test func namesTheFileItCannotWrite() throws {
        try withTemporaryDirectory { directory in
            let blocker = try directory.write("blocker", "a file, not a folder")
            #expect {
                try ReportWriter.write(ReportFixture.minimal.summary, calls: [], to: blocker + "/sub", name: "x")
            } throws: { error in
                "\(error)" == blocker + "/sub: cannot write report: '\(blocker)' is a file, not a folder"
            }
            #expect {
                try ReportWriter.write(ReportFixture.minimal.summary, calls: [], to: blocker, name: "x")
            } throws: { error in
                "\(error)" == blocker + ": cannot write report: '\(blocker)' is a file, not a folder"
            }
        }
    }

    /// `.` and `./` trapped in `deletingLastPathComponent`; a folder is no file to write.
    @Test(arguments: [".", "./", ""])
    func aFolderIsNoReportFile(path: String) {
        let reason = path.isEmpty ? "the path is empty; name a file" : "'\(path)' is a folder, not a file"
        #expect { try ReportWriter.write("<x/>", to: path) } throws: { error in
            "\(error)" == "\(path): cannot write report: \(reason)"
        }
        #expect { try ReportWriter.append("x", to: path) } throws: { error in
            "\(error)" == "\(path): cannot write report: \(reason)"
        }
    }
}
