/// A path into a JSON value: `$.order.items[0].sku`, `items[-1]`, `$['first name']`.
///
/// A leading `$` is optional; `.key` or `['key']` selects a member, `[n]` an element (negative
/// counts from the end).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object's member.
        case key(String)
        /// An array's element; negative counts from the end.
        case index(Int)
    }

    /// The steps, in order.
    public let steps: [Step]
    /// The path as written.
    public let source: String

    /// Parses `text`.
    ///
    /// - Throws: `JSONPathError` saying what is wrong and where.
    public init(parsing text: String) throws(JSONPathError) {
        source = text
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var steps: [Step] = []
        var index = 0
        if index < characters.count, characters[index] == "$" { index += 1 }
        func fail(_ message: String) -> JSONPathError {
            JSONPathError(message: "invalid JSON path '\(text)': \(message) at character \(index + 1)")
        }
        // A bare first key: `items[0]` is `$.items[0]`.
        var expectsKey = index == 0
        while index < characters.count || expectsKey {
            if expectsKey {
                let start = index
                while index < characters.count, characters[index] != ".", characters[index] != "[" { index += 1 }
                guard index > start else { throw fail("expected a key") }
                steps.append(.key(String(characters[start..<index])))
                expectsKey = false
                continue
            }
            switch characters[index] {
            case ".":
                index += 1
                expectsKey = true
            case "[":
                index += 1
                guard index < characters.count else { throw fail("unclosed '['") }
                if characters[index] == "'" || characters[index] == "\"" {
                    let quote = characters[index]
                    index += 1
                    let start = index
                    while index < characters.count, characters[index] != quote { index += 1 }
                    guard index < characters.count else { throw fail("unclosed quote") }
                    steps.append(.key(String(characters[start..<index])))
                    index += 1
                } else {
                    let start = index
                    while index < characters.count, characters[index] != "]" { index += 1 }
                    guard let number = Int(String(characters[start..<index]).trimmingCharacters(in: .whitespaces)) else {
                        index = start
                        throw fail("expected an index or a quoted key in '[...]'")
                    }
                    steps.append(.index(number))
                }
                guard index < characters.count, characters[index] == "]" else { throw fail("expected ']'") }
                index += 1
            default:
                throw fail("expected '.' or '['")
            }
        }
        self.steps = steps
    }

    /// The value at the path in `value`, or nil when some step does not exist.
    public func resolve(in value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let members)):
                guard let next = members[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                let position = index < 0 ? items.count + index : index
                guard items.indices.contains(position) else { return nil }
                current = items[position]
            default:
                return nil
            }
        }
        return current
    }

    /// The path as written.
    public var description: String { source }
}

/// A JSON path that does not parse.
public struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `invalid JSON path 'a..b': expected a key at character 3`.
    public var message: String
    /// The message.
    public var description: String { message }
}
