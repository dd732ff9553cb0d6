import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// `schemas/` held to the code: the files the loaders accept conform, each key list of the
/// loaders is the schema's (both ways), enums are the code's, and what the loaders refuse the
/// schemas refuse too.
struct SchemaFileTests {
    typealias Session = SuiteLoader.Session

    @Test(arguments: ["suite.schema.json", "catalog.schema.json", "prices.schema.json", "report.schema.json",
                      "command-output.schema.json"])
    func schemaCompiles(_ name: String) throws {
        _ = try SchemaFiles.schema(name)
        let json = try SchemaFiles.json(name)
        #expect(json["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(json["$id"] as? String == "https://tradeoff.invalid/schemas/\(name)")
    }

    @Test func everySuiteAndCatalogConformsAndLoads() throws {
        let (suites, catalogs) = try SchemaFiles.inputs()
        let named = (suites + catalogs).map { $0.replacingOccurrences(of: SchemaFiles.repository.path + "/", with: "") }
        for expected in ["suites/demo.yaml", "suites/demo.models.yaml", "Tests/TradeoffKitTests/Fixtures/suites/support-triage.yaml",
                         "Tests/TradeoffKitTests/Fixtures/suites/models.yaml"] {
            #expect(named.contains(expected), "\(expected) was not found among \(named)")
        }
        for (paths, schema) in [(suites, try SchemaFiles.schema("suite.schema.json")),
                                (catalogs, try SchemaFiles.schema("catalog.schema.json"))] {
            for path in paths {
                let value = try SchemaFiles.value(ofYAML: try String(contentsOfFile: path, encoding: .utf8), file: path)
                #expect(schema.violations(of: value) == [], "\(path)")
                let errors = SuiteLoader(environment: [:]).validate(path: path).filter { $0.severity == .error }
                #expect(errors.map(\.message) == [], "\(path)")
            }
        }
    }

    /// A loader's key list, where it sits in a schema, and the keys it requires (when the
    /// loader declares them as a list).
    struct KeyList {
        var pointer: [String]
        var keys: [String]
        var required: [String]? = nil
    }

    static let suiteObjects: [KeyList] = {
        var lists: [KeyList] = [
            KeyList(pointer: [], keys: Session.suiteKeys),
            KeyList(pointer: ["$defs", "settings"], keys: Session.settingKeys),
            KeyList(pointer: ["$defs", "task"], keys: Session.taskKeys),
            KeyList(pointer: ["$defs", "case"], keys: Session.caseKeys),
            KeyList(pointer: ["$defs", "modelSelection"], keys: Session.modelSelectionKeys),
            KeyList(pointer: ["$defs", "turn"], keys: Session.turnKeys, required: Session.turnKeys),
            KeyList(pointer: ["$defs", "part"], keys: Session.partKeys),
            KeyList(pointer: ["$defs", "task", "properties", "overrides", "additionalProperties"], keys: Session.overrideKeys),
            KeyList(pointer: ["$defs", "task", "properties", "prompts", "items"], keys: Session.promptVariantKeys,
                    required: ["id", "prompt"]),
            KeyList(pointer: ["$defs", "tool"], keys: Session.toolSpecKeys, required: ["name"]),
            KeyList(pointer: ["$defs", "responseFormat"], keys: Session.responseFormatKeys, required: ["name", "schema"]),
            KeyList(pointer: ["$defs", "cascade"], keys: Session.cascadeKeys, required: ["models"]),
        ]
        for type in GraderType.allCases {
            lists.append(KeyList(pointer: ["$defs", "grader-\(type.rawValue)"], keys: GraderType.commonKeys + type.keys.allowed,
                                 required: ["type"] + type.keys.required))
        }
        return lists
    }()

    static let catalogObjects: [KeyList] = [
        KeyList(pointer: [], keys: CatalogLoader.catalogKeys),
        KeyList(pointer: ["$defs", "model"], keys: CatalogLoader.modelKeys),
        KeyList(pointer: ["$defs", "limits"], keys: CatalogLoader.limitKeys),
        KeyList(pointer: ["$defs", "price"], keys: CatalogLoader.priceKeys),
        KeyList(pointer: ["$defs", "tier"], keys: PriceFields.tierKeys),
        KeyList(pointer: ["$defs", "batch"], keys: PriceFields.batchKeys),
        KeyList(pointer: ["$defs", "throughput"], keys: PriceFields.throughputKeys),
    ]

    @Test func suiteSchemaKeysAreTheLoaderKeys() throws {
        try checkKeys(of: "suite.schema.json", against: Self.suiteObjects)
    }

    @Test func catalogSchemaKeysAreTheLoaderKeys() throws {
        try checkKeys(of: "catalog.schema.json", against: Self.catalogObjects)
    }

    static let priceFileObjects: [KeyList] = [
        KeyList(pointer: [], keys: PriceFile.fileKeys, required: PriceFile.fileKeys),
        KeyList(pointer: ["$defs", "price"], keys: PriceFile.entryKeys, required: PriceFields.provenanceKeys),
        KeyList(pointer: ["$defs", "tier"], keys: PriceFields.tierKeys),
        KeyList(pointer: ["$defs", "batch"], keys: PriceFields.batchKeys),
        KeyList(pointer: ["$defs", "throughput"], keys: PriceFields.throughputKeys),
    ]

    @Test func priceFileSchemaKeysAreTheLoaderKeys() throws {
        try checkKeys(of: "prices.schema.json", against: Self.priceFileObjects)
    }

    @Test func theShippedPricesConformToThePriceFileSchema() throws {
        let path = SchemaFiles.repository.appendingPathComponent("Sources/TradeoffKit/Resources/prices.yaml").path
        let value = try SchemaFiles.value(ofYAML: try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(try SchemaFiles.schema("prices.schema.json").violations(of: value) == [])
    }

    /// Price files `PriceFile` refuses; the schema must refuse them too.
    static let brokenPriceFiles = [
        "prices:\n  a/b: {input: 1, output: 2, as_of: 2026-11-25}\n",
        "prices:\n  a/b: {input: -1, output: 2, as_of: 2026-11-25, source: x}\n",
        "prices:\n  a/b: {inputs: 1, output: 2, as_of: 2026-11-25, source: x}\n",
        "prices:\n  a/b: {input: 1, as_of: 2026-11-25, source: x}\n",
        "prices:\n  a/b: {input: 1, output: 2, as_of: 25/11/2026, source: x}\n",
        "prices:\n  a/b: {per_hour_usd: 2, utilization: 1.5, as_of: 2026-11-25, source: x}\n",
        "price:\n  a/b: {input: 1, output: 2, as_of: 2026-11-25, source: x}\n",
    ]

    @Test(arguments: brokenPriceFiles)
    func whatThePriceFileLoaderRefusesTheSchemaRefuses(_ text: String) throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("prices.yaml", text)
            #expect(throws: DiagnosticsError.self) { try PriceFile.load(path: path) }
            let value = try SchemaFiles.value(ofYAML: text, file: path)
            #expect(try SchemaFiles.schema("prices.schema.json").violations(of: value) != [], "the schema accepts \(text)")
        }
    }

    private func checkKeys(of name: String, against objects: [KeyList]) throws {
        let json = try SchemaFiles.json(name)
        for list in objects {
            let (pointer, keys, required) = (list.pointer, list.keys, list.required)
            let object = try #require(SchemaFiles.object(json, at: pointer), "\(name) has no \(pointer)")
            let properties = try #require(object["properties"] as? [String: Any], "\(pointer) has no properties")
            #expect(Set(properties.keys) == Set(keys), "\(name) \(pointer)")
            #expect(object["additionalProperties"] as? Bool == false, "\(name) \(pointer) must refuse unknown keys")
            if let required {
                #expect(Set(object["required"] as? [String] ?? []) == Set(required), "\(name) \(pointer)")
            }
        }
        // Vice versa: no closed object of the schema goes unchecked against a loader list.
        let closed = Set(SchemaFiles.closedObjects(in: json).map { $0.joined(separator: "/") })
        #expect(closed == Set(objects.map { $0.pointer.joined(separator: "/") }), "\(name)")
    }

    @Test func schemaEnumsAreTheCodeEnums() throws {
        let suite = try SchemaFiles.json("suite.schema.json")
        #expect(SchemaFiles.enumeration(suite, at: ["$defs", "grader", "properties", "type"]) == GraderType.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(suite, at: ["$defs", "normalization"]) == Normalization.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(suite, at: ["$defs", "grader-length", "properties", "unit"]) == LengthUnit.allCases.map(\.rawValue))
        let branches = (SchemaFiles.object(suite, at: ["$defs", "grader"])?["oneOf"] as? [[String: String]])?.compactMap { $0["$ref"] }
        #expect(branches == GraderType.allCases.map { "#/$defs/grader-\($0.rawValue)" })

        let catalog = try SchemaFiles.json("catalog.schema.json")
        let model = ["$defs", "model", "properties"]
        #expect(SchemaFiles.enumeration(catalog, at: model + ["provider"]) == ProviderKind.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(catalog, at: model + ["class"]) == ModelClass.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(catalog, at: model + ["preset"]) == ProviderPreset.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(catalog, at: model + ["max_tokens_field"]) == MaxTokensField.allCases.map(\.rawValue))

        let report = try SchemaFiles.json("report.schema.json")
        #expect(SchemaFiles.enumeration(report, at: ["$defs", "estimate", "properties", "method"]) == IntervalMethod.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(report, at: ["$defs", "model", "properties", "class"]) == ModelClass.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(report, at: ["$defs", "run", "properties", "status"]) == RunStatus.allCases.map(\.rawValue))
        let hourly = ["$defs", "hourlyThroughput", "properties"]
        #expect(SchemaFiles.enumeration(report, at: hourly + ["source"]) == HourlyPricing.Basis.Source.allCases.map(\.rawValue))
        #expect(SchemaFiles.enumeration(report, at: hourly + ["unit"]) == Throughput.Unit.allCases.map(\.rawValue))
        #expect(SchemaFiles.object(report, at: ["properties", "schema_version"])?["const"] as? Int == JSONReport.schemaVersion)

        let output = try SchemaFiles.json("command-output.schema.json")
        #expect(SchemaFiles.object(output, at: ["properties", "schema_version"])?["const"] as? Int == CommandOutput.schemaVersion)
        #expect(SchemaFiles.enumeration(output, at: ["$defs", "diagnostic", "properties", "severity"])
                == Diagnostic.Severity.allCases.map(\.rawValue))
        let runs = ["$defs", "history", "properties", "runs", "items", "properties", "status"]
        #expect(SchemaFiles.enumeration(output, at: runs) == RunStatus.allCases.map(\.rawValue))
        let checked = ["$defs", "modelsCheck", "properties", "models", "items", "properties", "provider"]
        #expect(SchemaFiles.enumeration(output, at: checked) == ProviderKind.allCases.map(\.rawValue))
        // `route` carries the report's routing object; its copy of the definition keeps the report's codes.
        for path in [["properties", "skipped"], ["properties", "portfolio", "properties", "weights"]] {
            #expect(SchemaFiles.enumeration(output, at: ["$defs", "reportRouting"] + path)
                    == SchemaFiles.enumeration(report, at: ["$defs", "routing"] + path))
        }
        #expect(SchemaFiles.enumeration(output, at: ["$defs", "reportRoute", "properties", "reason"])
                == SchemaFiles.enumeration(report, at: ["$defs", "route", "properties", "reason"]))
    }

    /// Suites the loader refuses; the schema must refuse them too (a task line replaces `TASK`).
    static let brokenSuites = [
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: exakt, expected: x}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: exact}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: exact, expected: x, normalize: [lower]}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: exact, expected: x, pattern: y}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], temperature: 3, graders: [{type: exact, expected: x}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], repeats: 0, graders: [{type: exact, expected: x}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: length, unit: lines}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: judge, model: j}]}",
        "  - {id: a, prompt: p, dataset: d.txt, graders: [{type: exact, expected: x}]}",
        "  - {id: a, prompt: p, graders: [{type: exact, expected: x}]}",
        "  - {id: a, cases: [{vars: {}}], graders: [{type: exact, expected: x}]}",
        "  - {id: a, prompt: p, cases: [{vars: {}, weight: 2}], graders: [{type: exact, expected: x}]}",
        "  - {id: a, prompt: p, cases: [], graders: [{type: exact, expected: x}]}",
    ]

    @Test(arguments: brokenSuites)
    func whatTheLoaderRefusesTheSchemaRefuses(_ task: String) throws {
        let suite = "suite: s\nmodels: models.yaml\ntasks:\n\(task)\n"
        try withTemporaryDirectory { directory in
            _ = try directory.write("models.yaml", "models:\n  - {id: m, base_url: 'http://127.0.0.1:1/v1', model: m, class: open}\n")
            let path = try directory.write("s.yaml", suite)
            #expect(SuiteLoader(environment: [:]).validate(path: path).contains { $0.severity == .error })
            let value = try SchemaFiles.value(ofYAML: suite, file: path)
            #expect(try SchemaFiles.schema("suite.schema.json").violations(of: value) != [], "the schema accepts \(task)")
        }
    }

    /// Suites the loader accepts in their less common forms; the schema must accept them too.
    static let unusualSuites = [
        "suite: 2026\nmodels: models.yaml\ntasks:\n  - {id: 7, prompt: p, cases: [{vars: {a: 1, b: null}}], "
            + "graders: [{type: exact, expected: 42, normalize: trim}]}\n",
        "suite: s\nmodels: {catalog: models.yaml, only: [m]}\nreference: m\ngates: [\"quality (m) >= 0.5\"]\nmargin: 1\n"
            + "tasks:\n  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: contains-any, values: x}]}\n",
        "suite: s\nmodels: models.yaml\ndefaults: {repeats: 2, threshold: 0}\ntasks:\n  - {id: a, prompt: p, "
            + "cases: [{graders: [{type: judge, model: m, rubric: r, scale: 1-5}, {type: length, max: 0}]}]}\n",
        "suite: s\nmodels: models.yaml\ntasks:\n  - {id: a, prompt: p, cases: [{vars: {}}], graders: [{type: regex, "
            + "pattern: 1, flags: ms}, {type: similarity, references: [a, b]}, {type: json-path, path: $.a}]}\n",
    ]

    @Test(arguments: unusualSuites)
    func whatTheLoaderAcceptsTheSchemaAccepts(_ suite: String) throws {
        try withTemporaryDirectory { directory in
            _ = try directory.write("models.yaml", "models:\n  - {id: m, base_url: 'http://127.0.0.1:1/v1', model: m, class: open}\n")
            let path = try directory.write("s.yaml", suite)
            #expect(SuiteLoader(environment: [:]).validate(path: path).filter { $0.severity == .error }.map(\.message) == [])
            let value = try SchemaFiles.value(ofYAML: suite, file: path)
            #expect(try SchemaFiles.schema("suite.schema.json").violations(of: value) == [])
        }
    }

    static let brokenCatalogs = [
        "  - {id: m, base_url: 'http://x', model: m, class: closed}",
        "  - {id: m, base_url: 'http://x', model: m, class: open, provider: openia}",
        "  - {id: m, base_url: 'ftp://x', model: m, class: open}",
        "  - {id: m, base_url: 'http://x', model: m, class: open, api_key: sk-live-0123456789abcdef}",
        "  - {id: m, base_url: 'http://x', model: m, class: open, max_concurrency: 0}",
        "  - {id: m, base_url: 'http://x', model: m, class: open, price: {input: -1, output: 2}}",
        "  - {id: m, base_url: 'http://x', model: m, class: open, price: {per_hour_usd: 2, throughput: {concurrency: 4}}}",
        "  - {id: m, base_url: 'http://x', model: m}",
    ]

    @Test(arguments: brokenCatalogs)
    func whatTheCatalogLoaderRefusesTheSchemaRefuses(_ model: String) throws {
        let catalog = "models:\n\(model)\n"
        try withTemporaryDirectory { directory in
            let path = try directory.write("models.yaml", catalog)
            #expect(SuiteLoader(environment: [:]).validate(path: path).contains { $0.severity == .error })
            let value = try SchemaFiles.value(ofYAML: catalog, file: path)
            #expect(try SchemaFiles.schema("catalog.schema.json").violations(of: value) != [], "the schema accepts \(model)")
        }
    }

    @Test(arguments: ["mixed.json", "decision.json"])
    func goldenReportsConformToTheReportSchema(_ name: String) throws {
        let data = try Data(contentsOf: SchemaFiles.repository.appendingPathComponent("Tests/TradeoffKitTests/Fixtures/golden/\(name)"))
        #expect(try SchemaFiles.schema("report.schema.json").violations(ofJSON: data) == [])
    }

    @Test func bundledFilesNameTheirSchemaForEditors() throws {
        for (file, schema) in [("demo.yaml", "suite"), ("routing.yaml", "suite"), ("demo.models.yaml", "catalog")] {
            let text = try String(contentsOf: SchemaFiles.repository.appendingPathComponent("suites/\(file)"), encoding: .utf8)
            #expect(text.hasPrefix("# yaml-language-server: $schema=../schemas/\(schema).schema.json\n"), "suites/\(file)")
        }
    }
}
