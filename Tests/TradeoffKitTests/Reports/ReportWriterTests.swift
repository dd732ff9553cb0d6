import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct ReportWriterTests {
    @Test func writesTheThreeReportsIntoANewFolder() throws {
        try withTemporaryDirectory { directory in
            let (summary, calls) = ReportFixture.mixed
            let folder = directory.file("out/nested")
            let paths = try ReportWriter.write(summary, calls: calls, to: folder, name: "demo")
            #expect(paths == [folder + "/demo.md", folder + "/demo.csv", folder + "/demo.calls.csv"])
            let contents = paths.map { String(decoding: FileManager.default.contents(atPath: $0) ?? Data(), as: UTF8.self) }
            let csv = CSVReport(summary)
            #expect(contents == [MarkdownReport(summary).render(), csv.models(), csv.calls(calls)])
            // No temporary file is left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                    == ["demo.calls.csv", "demo.csv", "demo.md"])
        }
    }

    @Test func replacesAnEarlierReport() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.file("reports")
            _ = try ReportWriter.write(ReportFixture.mixed.summary, calls: ReportFixture.mixed.calls, to: folder,
                                       name: "r")
            let (summary, calls) = ReportFixture.minimal
            let paths = try ReportWriter.write(summary, calls: calls, to: folder, name: "r")
            #expect(FileManager.default.contents(atPath: paths[0]) == Data(MarkdownReport(summary).render().utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 3)
        }
    }

    @Test(arguments: [("demo", "demo"), ("team/suite", "team-suite"), ("", "report"), ("..", "report")])
    func keepsFilesInTheFolder(name: String, expected: String) {
        #expect(ReportWriter.fileName(name) == expected)
    }

    @Test func namesTheFileItCannotWrite() throws {
        try withTemporaryDirectory { directory in
            let blocker = try directory.write("blocker", "a file, not a folder")
            #expect {
                try ReportWriter.write(ReportFixture.minimal.summary, calls: [], to: blocker + "/sub", name: "x")
            } throws: { error in
                "\(error)".hasPrefix(blocker + "/sub: cannot write report: cannot create the folder")
            }
        }
    }
}
