import GRDB
import Synchronization

/// snake_case columns ↔ camelCase properties, converted once per name and remembered.
///
/// GRDB's `.convertFromSnakeCase` converts every column of every row it decodes; over a
/// million stored calls that was two thirds of the time `tradeoff report` took. The mapping
/// of a column name never changes, so it is worth computing once.
enum ColumnNames {
    private static let cache = Mutex<[String: String]>([:])

    /// The decoding strategy every record of the store uses.
    static let decoding = DatabaseColumnDecodingStrategy.custom { column in
        let name = cache.withLock { cache in
            if let known = cache[column] { return known }
            let converted = camelCase(column)
            cache[column] = converted
            return converted
        }
        return Key(stringValue: name)
    }

    /// `cached_input_tokens` → `cachedInputTokens`.
    static func camelCase(_ column: String) -> String {
        var result = ""
        var upper = false
        for char in column {
            if char == "_" && !result.isEmpty {
                upper = true
            } else {
                result.append(upper ? Character(char.uppercased()) : char)
                upper = false
            }
        }
        return result
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension ColumnNames {
    private static let encodingCache = Mutex<[String: String]>([:])

    /// The encoding strategy every record of the store uses: camelCase → snake_case, remembered.
    static let encoding = DatabaseColumnEncodingStrategy.custom { key in
        encodingCache.withLock { cache in
            if let known = cache[key.stringValue] { return known }
            let converted = snakeCase(key.stringValue)
            cache[key.stringValue] = converted
            return converted
        }
    }

    /// `cachedInputTokens` → `cached_input_tokens`; a number with a unit is a word of its own
    /// (`cacheWrite1hTokens` → `cache_write_1h_tokens`, the inverse of `camelCase`), a number
    /// ending a word is not (`promptSha256` → `prompt_sha256`).
    static func snakeCase(_ key: String) -> String {
        var result = ""
        let chars = Array(key)
        for (index, char) in chars.enumerated() {
            if char.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: char.lowercased())
            } else {
                if char.isNumber, index > 0, chars[index - 1].isLowercase,
                   let next = chars[index...].first(where: { !$0.isNumber }), next.isLowercase {
                    result.append("_")
                }
                result.append(char)
            }
        }
        return result
    }
}
