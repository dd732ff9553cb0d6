import Foundation

/// A PostgreSQL connection URL (`postgres://user:password@host:5432/db?sslmode=require`), as
/// libpq reads it, and how it is shown: never with its password.
///
/// A trailing `#ID` names one run of the database (`postgres://host/evals#41`); libpq never sees it.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL libpq connects with (password included, if given).
    public let connection: String
    /// The run `#ID` named, if any.
    public let runID: Int64?

    /// The environment variable that names the shared database when no `--db` does.
    public static let environmentVariable = "TRADEOFF_DATABASE_URL"

    /// Whether `text` is a PostgreSQL URL rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `text`; nil when it is not a PostgreSQL URL.
    public init?(_ text: String) {
        guard Self.isURL(text) else { return nil }
        if let hash = text.lastIndex(of: "#"), let id = Int64(text[text.index(after: hash)...]) {
            connection = String(text[..<hash])
            runID = id
        } else {
            connection = text
            runID = nil
        }
    }

    /// The URL without its password (in the user part or a `password=` parameter): what
    /// messages show.
    public var description: String { Self.redacted(connection) }

    /// The password the URL holds, percent-decoded, if any: scrubbed from libpq's messages.
    var secrets: [String] {
        var found: [String] = []
        let (_, userInfo, _) = Self.split(connection)
        if let userInfo, let colon = userInfo.firstIndex(of: ":") {
            let raw = String(userInfo[userInfo.index(after: colon)...])
            found.append(raw)
            if let decoded = raw.removingPercentEncoding, decoded != raw { found.append(decoded) }
        }
        if let query = connection.split(separator: "?", maxSplits: 1).dropFirst().first {
            for item in query.split(separator: "&") where item.hasPrefix("password=") {
                let raw = String(item.dropFirst("password=".count))
                found.append(raw)
                if let decoded = raw.removingPercentEncoding, decoded != raw { found.append(decoded) }
            }
        }
        return found.filter { !$0.isEmpty }
    }

    /// `text` with the password taken out of its user part and its query.
    static func redacted(_ text: String) -> String {
        let (scheme, userInfo, rest) = split(text)
        var result = scheme
        if let userInfo {
            result += String(userInfo.prefix { $0 != ":" }) + "@"
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        result += parts[0]
        if parts.count == 2 {
            let kept = parts[1].split(separator: "&").filter { !$0.hasPrefix("password=") }
            if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        }
        return result
    }

    /// `postgres://`, the user part before the last `@` of the authority (if any), and the rest.
    private static func split(_ text: String) -> (scheme: String, userInfo: String?, rest: String) {
        guard let range = text.range(of: "://") else { return ("", nil, text) }
        let scheme = String(text[..<range.upperBound])
        let afterScheme = text[range.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return (scheme, nil, String(afterScheme)) }
        return (scheme, String(authority[..<at]), String(afterScheme[afterScheme.index(after: at)...]))
    }
}
