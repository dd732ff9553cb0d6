import Crypto
import Foundation
import Testing
@testable import TradeoffKit

/// Loading a valid suite: defaults, overrides, case ids, variables, graders, models, hash.
struct SuiteLoaderTests {
    let loaded: LoadedSuite

    init() throws {
        loaded = try SuiteLoader(environment: [:]).load(suitePath: SuiteFixtures.path("support-triage.yaml"))
    }

    @Test func suiteHeader() {
        #expect(loaded.suite.name == "support-triage")
        #expect(loaded.suite.description == "Route tickets and answer policy questions")
        #expect(loaded.suite.path == SuiteFixtures.path("support-triage.yaml"))
        #expect(loaded.suite.tasks.map(\.id) == ["classify", "classify-csv", "refund-window"])
        #expect(loaded.suite.caseCount == 8)
    }

    @Test func defaultsAndOverrides() {
        let settings = loaded.suite.tasks.map(\.settings)
        #expect(settings[0] == TaskSettings(temperature: 0.2, maxTokens: 64, threshold: 1.0))
        #expect(settings[1] == TaskSettings(temperature: 0.2, maxTokens: 8, threshold: 1.0))
        #expect(settings[2] == TaskSettings(temperature: 1.5, maxTokens: 64, threshold: 0.5))
    }

    @Test func settingsDefaultWithoutDefaultsBlock() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: hi
                cases: [{graders: [{type: json-valid}]}]
            """])
        let task = try #require(try fixture.load().suite.tasks.first)
        #expect(task.settings == .defaults)
        #expect(task.system == nil)
        #expect(task.cases.map(\.id) == ["1"])
        #expect(task.cases[0].variables.isEmpty)
    }

    @Test func jsonlRowsBecomeCases() {
        let task = loaded.suite.tasks[0]
        #expect(task.system?.source == "You are a support triage assistant.")
        #expect(task.prompt?.source == "Classify the ticket as billing, bug, feature or other. Answer with one word.\nTicket: {{ticket}}\n")
        #expect(task.cases.map(\.id) == ["T1", "T2", "3"])
        #expect(task.cases[0].variables == ["ticket": "I was charged twice this month.", "label": "billing"])
        #expect(task.cases[1].variables["priority"] == "2")
        #expect(task.cases[1].variables["urgent"] == "true")
        #expect(task.cases[2].variables["meta"] == #"{"tags":["ui","dark"],"score":4.50}"#)
        #expect(task.cases[2].variables["note"] == "")
        #expect(task.graders == [GraderSpec(.exact(expected: Template("{{label}}"), normalize: [.trim, .lowercase]))])
        #expect(task.cases.allSatisfy { $0.graders.isEmpty })
    }

    @Test func csvRowsBecomeCases() {
        let task = loaded.suite.tasks[1]
        #expect(task.cases.map(\.id) == ["C1", "C2", "3"])
        #expect(task.cases[0].variables == ["ticket": #"Refund, please: I paid "twice""#, "label": "billing"])
        #expect(task.cases[1].variables["ticket"] == "Line one\r\nline two")
        #expect(task.cases[2].variables == ["ticket": "Where is my order?", "label": "other"])
        #expect(task.graders == [
            GraderSpec(.contains(value: Template("{{label}}"), ignoreCase: true), weight: 2),
            GraderSpec(.notContains(value: Template("sorry"), ignoreCase: false)),
        ])
    }

    @Test func inlineCasesKeepTheirGraders() {
        let task = loaded.suite.tasks[2]
        #expect(task.prompt?.source == "Policy: {{policy}}\nHow many days do customers have to ask for a refund?")
        #expect(task.graders.isEmpty)
        #expect(task.cases.map(\.id) == ["thirty-days", "2"])
        #expect(task.cases[0].variables == ["policy": "Refunds are accepted within 30 days of purchase."])
        #expect(task.cases[0].graders == [GraderSpec(.contains(value: Template("30"), ignoreCase: false))])
        #expect(task.cases[1].variables == ["policy": "Refunds: 14 days.", "days": "14"])
        #expect(task.cases[1].graders == [
            GraderSpec(.regex(pattern: #"\b14\b"#, ignoreCase: true), weight: 0.5),
            GraderSpec(.jsonValid),
        ])
    }

    @Test func catalogAndOnlyList() throws {
        #expect(loaded.catalog.path == SuiteFixtures.path("models.yaml"))
        #expect(loaded.catalog.models.map(\.id) == ["gpt-4o", "llama-3.3-70b"])
        // `only:` order, not catalog order.
        #expect(loaded.models.map(\.id) == ["llama-3.3-70b", "gpt-4o"])

        let gpt = try #require(loaded.catalog.model("gpt-4o"))
        #expect(gpt.provider == .openAICompatible)
        #expect(gpt.baseURL == "https://api.openai.com/v1")
        #expect(gpt.model == "gpt-4o-2024-08-06")
        #expect(gpt.modelClass == .frontier)
        #expect(gpt.price == Price(inputPerMillion: Decimal(string: "2.5")!, outputPerMillion: Decimal(string: "10")!,
                                   cachedInputPerMillion: Decimal(string: "1.25")!))
        #expect(gpt.apiKeyEnv == "OPENAI_API_KEY")
        #expect(gpt.maxConcurrency == 8)
        #expect(gpt.timeoutSeconds == 60)
        #expect(gpt.simulated == false)
        #expect(gpt.location == SourceLocation(file: SuiteFixtures.path("models.yaml"), line: 2, column: 5))

        let llama = try #require(loaded.catalog.model("llama-3.3-70b"))
        #expect(llama.baseURL == "http://localhost:8000/v1")
        #expect(llama.modelClass == .open)
        #expect(llama.price == nil)
        #expect(llama.apiKeyEnv == nil)
        #expect(llama.maxConcurrency == 4)
        #expect(llama.timeoutSeconds == 120)
        #expect(llama.simulated)
        #expect(llama.location?.line == 12)
    }

    @Test func contentHashCoversSuiteThenDatasetsInTaskOrder() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: SuiteFixtures.path("support-triage.yaml")))
        bytes += try Data(contentsOf: URL(fileURLWithPath: SuiteFixtures.path("data/tickets.jsonl")))
        bytes += try Data(contentsOf: URL(fileURLWithPath: SuiteFixtures.path("data/tickets.csv")))
        #expect(loaded.suite.contentHash == SHA256.hash(data: bytes).hexString)
        #expect(loaded.suite.contentHash.count == 64)
    }

    @Test func catalogPathOverridesTheSuitesModels() throws {
        let fixture = try SuiteFixture([
            "suites/x.yaml": """
                suite: s
                models: missing.yaml
                tasks:
                  - {id: t, prompt: hi, cases: [{graders: [{type: json-valid}]}]}
                """,
            "other/catalog.yaml": """
                models:
                  - {id: only-one, base_url: "http://127.0.0.1:9/v1", model: m, class: open}
                """,
        ])
        let loaded = try fixture.load(catalog: "other/catalog.yaml")
        #expect(loaded.models.map(\.id) == ["only-one"])
        #expect(loaded.catalog.path == fixture.path("other/catalog.yaml"))
    }

    @Test func baseURLExpandsTheEnvironment() throws {
        let fixture = try SuiteFixture([:], environment: ["HOST": "gpu-box", "EMPTY": ""], catalog: """
            models:
              - {id: a, base_url: "http://${HOST}:8000/v1", model: m, class: open}
              - {id: b, base_url: "${UNSET:-http://localhost:11434}/v1", model: m, class: open}
              - {id: c, base_url: "${EMPTY:-https://fallback}/v1", model: m, class: open}
            """)
        let catalog = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
        #expect(catalog.models.map(\.baseURL) == ["http://gpu-box:8000/v1", "http://localhost:11434/v1", "https://fallback/v1"])
    }

    @Test func validateAcceptsValidSuitesAndCatalogs() {
        let loader = SuiteLoader(environment: [:])
        #expect(loader.validate(path: SuiteFixtures.path("support-triage.yaml")).isEmpty)
        #expect(loader.validate(path: SuiteFixtures.path("models.yaml")).isEmpty)
    }

    @Test func missingCredentials() {
        let models = loaded.catalog.models
        let unset = SuiteLoader(environment: [:]).missingCredentials(for: models)
        #expect(unset.map(\.description) == ["""
            \(SuiteFixtures.path("models.yaml")):2:5: error: environment variable 'OPENAI_API_KEY' for model 'gpt-4o' \
            is not set; export it before running (keys are read from the environment only)
              - id: gpt-4o
                ^
            """])
        #expect(SuiteLoader(environment: ["OPENAI_API_KEY": ""]).missingCredentials(for: models).count == 1)
        #expect(SuiteLoader(environment: ["OPENAI_API_KEY": "sk-test"]).missingCredentials(for: models).isEmpty)
    }
}

/// The suite's content hash covers every file that decides a score.
struct SuiteContentHashTests {
    private func hash(rubric: String, script: String) throws -> String {
        let fixture = try SuiteFixture([
            "suites/x.yaml": """
                suite: x
                models: models.yaml
                tasks:
                  - id: t
                    prompt: hi
                    cases: [{vars: {}}]
                    graders:
                      - {type: judge, rubric_file: rubric.md, model: llama-3.3-70b}
                      - {type: command, command: [sh, check.sh]}
                """,
            "suites/rubric.md": rubric,
            "suites/check.sh": script,
        ])
        return try fixture.loader.load(suitePath: fixture.path("suites/x.yaml")).suite.contentHash
    }

    @Test func rubricAndCommandFilesChangeTheHash() throws {
        let base = try hash(rubric: "Be correct.", script: "echo '{\"score\": 1}'")
        #expect(try hash(rubric: "Be correct.", script: "echo '{\"score\": 1}'") == base)
        #expect(try hash(rubric: "Be kind.", script: "echo '{\"score\": 1}'") != base)
        #expect(try hash(rubric: "Be correct.", script: "echo '{\"score\": 0}'") != base)
    }
}
