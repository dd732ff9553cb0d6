import Foundation

/// promptfoo tests as cases: inline `tests:`, or `file://` CSV (columns are vars; `__expected`
/// holds an assertion), JSONL and YAML files of test objects. `defaultTest` gives every case its
/// vars, and every task its graders and threshold.
extension PromptfooImport {
    /// `defaultTest` as Tradeoff takes it.
    struct DefaultTest {
        var vars: [String: String] = [:]
        var graders: [String] = []
        var threshold: Double?
    }

    /// A converted test.
    struct Case {
        var id: String
        var vars: [String: String]
        var graders: [String]
    }

    mutating func defaultTest(_ value: JSONValue, judge: String) -> DefaultTest {
        var value = value
        if let text = value.scalarText, text.hasPrefix("file://") {
            guard let loaded = try? Self.readYAML(resolve(String(text.dropFirst(7)))) else {
                skipped.append(Skipped(place: "defaultTest", reason: "file '\(text)' cannot be read"))
                return DefaultTest()
            }
            value = loaded
        }
        var defaults = DefaultTest()
        defaults.vars = vars(value.member("vars"), place: "defaultTest.vars")
        defaults.graders = graders(value.member("assert"), place: "defaultTest.assert", judge: judge)
        defaults.threshold = value.member("threshold")?.numericValue
        return defaults
    }

    mutating func cases(_ value: JSONValue?, defaults: DefaultTest, judge: String) throws -> [Case] {
        var tests: [(JSONValue, String)] = []
        func add(_ item: JSONValue, _ place: String) throws {
            if let text = item.scalarText, text.hasPrefix("file://") {
                tests += try loadTests(String(text.dropFirst(7)), place: place)
            } else {
                tests.append((item, place))
            }
        }
        switch value {
        case .array(let list)?: for (index, item) in list.enumerated() { try add(item, "tests[\(index)]") }
        case let item?: try add(item, "tests")
        case nil: throw Failure(description: "\(configPath): missing 'tests'")
        }
        var cases: [Case] = []
        var thresholds: Set<Double> = []
        for (test, place) in tests {
            guard case .object(let members) = test else {
                skipped.append(Skipped(place: place, reason: "a test is a mapping with 'vars' and 'assert'"))
                continue
            }
            for key in members.keys.sorted() where !["vars", "assert", "description", "threshold", "options",
                                                      "metadata"].contains(key) {
                skipped.append(Skipped(place: "\(place).\(key)", reason: "not converted (Tradeoff cases have vars and "
                                       + "graders only)"))
            }
            let before = skipped.count
            let own = self.vars(members["vars"], place: "\(place).vars")
            let varsComplete = skipped.count == before
            let graders = self.graders(members["assert"], place: "\(place).assert", judge: judge)
            guard varsComplete else {
                skipped.append(Skipped(place: place, reason: "left out, since a var of it could not be converted"))
                continue
            }
            guard !graders.isEmpty || !defaults.graders.isEmpty else {
                skipped.append(Skipped(place: place, reason: "no assertion Tradeoff can grade, so the case was left "
                                       + "out (Tradeoff grades every case)"))
                continue
            }
            if let threshold = members["threshold"]?.numericValue { thresholds.insert(threshold) }
            let vars = defaults.vars.merging(own) { _, own in own }
            let id = Self.identifier(members["description"]?.scalarText ?? String(cases.count + 1), taken: cases.map(\.id))
            cases.append(Case(id: id, vars: vars, graders: graders))
        }
        if !thresholds.isEmpty {
            skipped.append(Skipped(place: "tests[].threshold", reason: "a threshold per test is not kept: Tradeoff's "
                                   + "is per task (set 'threshold:' on the task, or 'defaultTest.threshold')"))
        }
        return cases
    }

    /// A test's `vars` as text; lists (promptfoo runs every combination) are left out.
    private mutating func vars(_ value: JSONValue?, place: String) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        var vars: [String: String] = [:]
        for (name, value) in members {
            if let text = value.scalarText {
                if text.hasPrefix("file://") {
                    skipped.append(Skipped(place: "\(place).\(name)", reason: "a var read from a file is not converted; "
                                           + "paste its text, or use a dataset"))
                } else {
                    vars[name] = text
                }
            } else if case .null = value {
                vars[name] = ""
            } else {
                skipped.append(Skipped(place: "\(place).\(name)", reason: "a list or mapping var (promptfoo expands "
                                       + "combinations) is not converted; write one case per value"))
            }
        }
        return vars
    }

    /// The tests of a `file://` test file: CSV, JSONL, or YAML/JSON holding a list of tests.
    private mutating func loadTests(_ path: String, place: String) throws -> [(JSONValue, String)] {
        let resolved = resolve(path)
        let ext = (path as NSString).pathExtension.lowercased()
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8) else {
            throw Failure(description: "\(place): test file '\(resolved)' cannot be read")
        }
        switch ext {
        case "csv":
            let rows = Self.csvRows(text)
            guard let header = rows.first else { return [] }
            return rows.dropFirst().enumerated().compactMap { index, row in
                var vars: [String: JSONValue] = [:]
                var asserts: [JSONValue] = []
                var test: [String: JSONValue] = [:]
                for (column, name) in header.enumerated() where column < row.count {
                    let cell = row[column]
                    if name.hasPrefix("__expected") {
                        if !cell.isEmpty { asserts.append(.string(cell)) }
                    } else if name == "__description" {
                        test["description"] = .string(cell)
                    } else if name.hasPrefix("__") {
                        skipped.append(Skipped(place: "\(path) column \(name)", reason: "not converted"))
                    } else {
                        vars[name] = .string(cell)
                    }
                }
                test["vars"] = .object(vars)
                test["assert"] = .array(asserts)
                return (.object(test), "\(path):\(index + 2)")
            }
        case "jsonl":
            var tests: [(JSONValue, String)] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let data = line.data(using: .utf8), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                    throw Failure(description: "\(resolved):\(index + 1): not a JSON object")
                }
                tests.append((value, "\(path):\(index + 1)"))
            }
            return tests
        case "yaml", "yml", "json":
            guard case .array(let list) = try Self.readYAML(resolved) else {
                throw Failure(description: "\(resolved): a test file holds a list of tests")
            }
            return list.enumerated().map { ($1, "\(path)[\($0)]") }
        default:
            skipped.append(Skipped(place: place, reason: "test file '\(path)' is code or a format Tradeoff does not "
                                   + "read; convert its tests to CSV or JSONL"))
            return []
        }
    }

    /// The records of CSV `text` (RFC 4180: quoted fields, doubled quotes, line breaks in quotes).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                row.append(field)
                if row != [""] { rows.append(row) }
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        row.append(field)
        if row != [""] { rows.append(row) }
        return rows
    }
}
