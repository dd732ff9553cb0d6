import Foundation

/// The price catalog and the import name map shipped with Tradeoff, as data files in
/// TradeoffKit's resource bundle (`Sources/TradeoffKit/Resources/`).
public enum ShippedPrices {
    /// The resource bundle's folder name, next to the `tradeoff` binary.
    static let bundleName = "Tradeoff_TradeoffKit.resources"

    /// The shipped price catalog, read once.
    ///
    /// - Throws: `DiagnosticsError` when the file is missing (the binary was installed without
    ///   its resource bundle) or broken.
    public static func book() throws(DiagnosticsError) -> PriceBook { try cachedBook.get() }

    /// The shipped name map for imports, read once.
    ///
    /// - Throws: `DiagnosticsError` when the file is missing or broken.
    public static func nameMap() throws(DiagnosticsError) -> PriceNameMap { try cachedNameMap.get() }

    private static let cachedBook: Result<PriceBook, DiagnosticsError> = Result {
        let path = try resourcePath("prices.yaml")
        var log = DiagnosticLog()
        let book = PriceFile.load(path: path, origin: .shipped, referencedBy: nil, log: &log)
        guard let book, !log.hasErrors else { throw DiagnosticsError(log.sorted) }
        return book
    }.mapError { $0 as? DiagnosticsError ?? DiagnosticsError([]) }

    private static let cachedNameMap: Result<PriceNameMap, DiagnosticsError> = Result {
        try PriceNameMap.load(path: try resourcePath("price-names.yaml"))
    }.mapError { $0 as? DiagnosticsError ?? DiagnosticsError([]) }

    /// The path of the shipped resource `name`.
    ///
    /// Looked up by hand rather than through `Bundle.module`, which stops the process when the
    /// bundle is missing: a missing file is an error the user can read.
    static func resourcePath(_ name: String) throws -> String {
        var folders: [URL] = []
        let main = Bundle.main.bundleURL
        folders.append(main)
        // Test runners on Linux are `.build/<config>/<Package>PackageTests.xctest`.
        folders.append(main.deletingLastPathComponent())
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent())
        }
        for folder in folders {
            let path = folder.appendingPathComponent(bundleName).appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw DiagnosticsError([Diagnostic(
            .error, file: name, line: nil, column: nil,
            message: "the shipped price data is missing: install the '\(bundleName)' folder next to the tradeoff binary "
                + "(it is built with it in .build/release/)")])
    }
}
