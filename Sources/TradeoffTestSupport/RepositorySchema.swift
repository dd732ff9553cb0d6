import Foundation
import TradeoffKit

/// A JSON Schema of the repository's `schemas/` folder, compiled by Tradeoff's validator, for
/// tests that check what the code writes against what the schemas document.
///
/// - Parameter name: The schema's file name (`report.schema.json`).
/// - Returns: The schema.
/// - Throws: When the file cannot be read or is not a schema the validator takes.
public func repositorySchema(_ name: String) throws -> JSONSchema {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/\(name)").path
    return try JSONSchema.document(try Data(contentsOf: URL(fileURLWithPath: path)), file: path)
}
