import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// `report --pdf`'s printer against stand-in browsers: shell scripts that write a PDF where
/// Chromium would, or fail as it might.
struct PDFPrinterTests {
    @Test func findsTheFirstBrowserOnThePath() throws {
        try withTemporaryDirectory { directory in
            let browser = try Self.browser(in: directory, named: "bin/google-chrome", "exit 0")
            #expect(PDFPrinter.find(searchPath: directory.file("none") + ":" + directory.file("bin"))?.browser.path == browser)
            #expect(PDFPrinter.find(searchPath: directory.file("none")) == nil)
            #expect(PDFPrinter.find(searchPath: "") == nil)
        }
    }

    @Test func writesThePDFTheBrowserPrintedAndNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            // Writes its page's URL to the file named by --print-to-pdf=, as Chromium writes the PDF there.
            let browser = try Self.browser(in: directory, named: "chromium", """
                for argument in "$@"; do
                  case "$argument" in --print-to-pdf=*) out="${argument#--print-to-pdf=}" ;; file://*) page="$argument" ;; esac
                done
                printf '%%PDF-1.4 %s' "$page" > "$out"
                """)
            let page = try directory.write("out/r.html", "<!DOCTYPE html>")
            try PDFPrinter(browser: URL(fileURLWithPath: browser)).print(page: page, to: directory.file("out/r.pdf"))
            let pdf = try String(contentsOfFile: directory.file("out/r.pdf"), encoding: .utf8)
            #expect(pdf == "%PDF-1.4 " + URL(fileURLWithPath: page).absoluteString)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")).sorted() == ["r.html", "r.pdf"])
        }
    }

    @Test func theBrowserGetsNoAPIKey() throws {
        try withTemporaryDirectory { directory in
            // Writes its environment where the PDF goes.
            let browser = try Self.browser(in: directory, named: "chromium", """
                for argument in "$@"; do case "$argument" in --print-to-pdf=*) out="${argument#--print-to-pdf=}" ;; esac; done
                env > "$out"
                """)
            let page = try directory.write("r.html", "<!DOCTYPE html>")
            var environment = ProcessInfo.processInfo.environment
            environment["GOOGLE_API_KEY"] = "AIza-pdf-test-0123456789"
            environment["TRADEOFF_PDF_TEST_KEY"] = "sk-pdf-test-0123456789"
            environment["LC_ALL"] = "C.UTF-8"
            try PDFPrinter(browser: URL(fileURLWithPath: browser)).print(page: page, to: directory.file("r.pdf"),
                                                                         environment: environment)
            let seen = try String(contentsOfFile: directory.file("r.pdf"), encoding: .utf8)
            #expect(!seen.contains("pdf-test-0123456789"))
            #expect(seen.contains("PATH=") && seen.contains("LC_ALL=C.UTF-8"))
        }
    }

    @Test func saysWhatTheBrowserSaidWhenItWritesNoPDF() throws {
        try withTemporaryDirectory { directory in
            let browser = try Self.browser(in: directory, named: "chromium", "echo 'starting' >&2; echo 'cannot open display' >&2; exit 1")
            let page = try directory.write("r.html", "<!DOCTYPE html>")
            let pdf = directory.file("r.pdf")
            #expect(throws: ReportWriteError(path: pdf, reason: "\(browser) exited 1 without a PDF: cannot open display")) {
                try PDFPrinter(browser: URL(fileURLWithPath: browser)).print(page: page, to: pdf)
            }
            #expect(!FileManager.default.fileExists(atPath: pdf))
        }
    }

    @Test func stopsABrowserThatHangs() throws {
        try withTemporaryDirectory { directory in
            let browser = try Self.browser(in: directory, named: "chromium", "exec sleep 30")
            let page = try directory.write("r.html", "<!DOCTYPE html>")
            let pdf = directory.file("r.pdf")
            #expect(throws: ReportWriteError(path: pdf, reason: "\(browser) did not finish within 0.2 s")) {
                try PDFPrinter(browser: URL(fileURLWithPath: browser)).print(page: page, to: pdf, timeout: 0.2)
            }
        }
    }

    /// An executable shell script `name` in `directory` running `body`; returns its path.
    static func browser(in directory: TemporaryDirectory, named name: String, _ body: String) throws -> String {
        let path = try directory.write(name, "#!/bin/sh\n" + body + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}
