import ArgumentParser
import TradeoffKit

/// `--pdf`, shared by `run` and `report`: the page also printed to NAME.pdf by a headless Chromium.
struct PDFOptions: ParsableArguments {
    @Flag(help: "Also print the page to NAME.pdf with a headless Chromium (chromium or google-chrome on PATH).")
    var pdf = false

    /// The printer `--pdf` asks for, nil without it; looked for before anything is written or
    /// spent, so a missing browser is known at once.
    ///
    /// - Throws: `ExitCode.badInput`, after saying what to do, when `--pdf` is given and no browser is on PATH.
    func printer() throws -> PDFPrinter? {
        guard pdf else { return nil }
        guard let printer = PDFPrinter.find() else {
            printError("error: --pdf needs a headless Chromium, and none of "
                       + PDFPrinter.browserNames.joined(separator: ", ") + " is on PATH; install one "
                       + "(scripts/install-deps does) or open NAME.html in a browser and print it to PDF")
            throw ExitCode.badInput
        }
        return printer
    }

    /// Prints the page among `paths` to a PDF beside it with `printer`; returns the PDF's path
    /// (none without a printer or a page).
    ///
    /// - Throws: `ReportWriteError` when the browser fails: exit 3, like any report not written.
    static func printPDF(of paths: [String], with printer: PDFPrinter?) throws -> [String] {
        guard let printer, let page = paths.first(where: { $0.hasSuffix(".html") }) else { return [] }
        let pdf = String(page.dropLast(".html".count)) + ".pdf"
        try printer.print(page: page, to: pdf)
        return [pdf]
    }
}
