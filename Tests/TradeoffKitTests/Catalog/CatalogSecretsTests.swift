import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Keys never written where Tradeoff stores or prints things: a `${TOKEN}` in a `base_url` is
/// stored as written, and a key written in a catalog is an error whose quoted line masks it.
struct CatalogSecretsTests {
    private func errors(_ catalog: String, environment: [String: String] = [:]) throws -> String {
        let fixture = try SuiteFixture([:], environment: environment, catalog: catalog)
        do {
            _ = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
            Issue.record("expected the catalog to fail to load")
            return ""
        } catch let error as DiagnosticsError {
            return fixture.render(error.diagnostics)
        }
    }

    @Test func aBaseURLsVariablesAreExpandedToCallButStoredAsWritten() throws {
        let catalog = """
            models:
              - {id: a, base_url: "https://gw.example.com/v1?token=${GW_TOKEN}", model: m, class: open}
            """
        let fixture = try SuiteFixture([:], environment: ["GW_TOKEN": "tok-abcdefgh12345678"], catalog: catalog)
        let model = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml")).models[0]
        #expect(model.baseURL == "https://gw.example.com/v1?token=tok-abcdefgh12345678")
        #expect(model.baseURLTemplate == "https://gw.example.com/v1?token=${GW_TOKEN}")

        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try store.beginRun(
                RunRecord(suite: "s", suitePath: "s", suiteHash: "h", catalogPath: "c", toolVersion: "t", startedAt: Date(),
                          status: .running), models: [model], cases: [])
            #expect(try store.models(ofRun: runID).map(\.baseUrl) == ["https://gw.example.com/v1?token=${GW_TOKEN}"])
        }
    }

    @Test func aKeyWrittenInABaseURLIsAnErrorThatNeverShowsIt() throws {
        let catalog = """
            models:
              - {id: a, base_url: "https://gw.example.com/v1?api-version=1&token=tok-abcdefgh12345678", model: m, class: open}
              - {id: b, base_url: "https://bob:hunter2hunter2@gw.example.com/v1", model: m, class: open}
              - {id: c, base_url: "https://gw.example.com/v1?x=sk-live-abcdefghijkl", model: m, class: open}
              - {id: d, base_url: "https://gw.example.com/v1?token=${GW_TOKEN:-none}&v=2", model: m, class: open}
              - {id: e, base_url: "https://sk-live-abcdefghijkl@gw.example.com/v1", model: m, class: open}
              - {id: f, base_url: "${GW_HOST:-gw.example.com}/v1?token=${GW_TOKEN:-x}", model: m, class: open}
            """
        let output = try errors(catalog)
        #expect(output == """
            suites/models.yaml:2:23: error: 'base_url' has a key written in its query ('token='): the URL is stored \
            with every run; export the key and write ${NAME} in its place
              - {id: a, base_url: "https://gw.example.com/v1?api-version=1&token=********************", model: m, class: open}
                                  ^
            suites/models.yaml:3:23: error: 'base_url' has a key written in its user part (a password): the URL is \
            stored with every run; export the key and write ${NAME} in its place
              - {id: b, base_url: "https://bob:**************@gw.example.com/v1", model: m, class: open}
                                  ^
            suites/models.yaml:4:23: error: 'base_url' has a key written in its query ('x='): the URL is stored with \
            every run; export the key and write ${NAME} in its place
              - {id: c, base_url: "https://gw.example.com/v1?x=********************", model: m, class: open}
                                  ^
            suites/models.yaml:6:23: error: 'base_url' has a key written in its user part: the URL is stored with every \
            run; export the key and write ${NAME} in its place
              - {id: e, base_url: "https://********************@gw.example.com/v1", model: m, class: open}
                                  ^
            suites/models.yaml:7:23: error: 'base_url' must be an http:// or https:// URL, got \
            '${GW_HOST:-gw.example.com}/v1?token=${GW_TOKEN:-x}' once its variables are expanded
              - {id: f, base_url: "${GW_HOST:-gw.example.com}/v1?token=${GW_TOKEN:-x}", model: m, class: open}
                                  ^
            """)
    }

    @Test func aKeyUnderAnUnknownKeyIsAnErrorThatNeverShowsIt() throws {
        let secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
        let catalog = """
            models:
              - id: a
                base_url: https://api.openai.com/v1
                model: m
                class: frontier
                api_key: \(secret)
            """
        let output = try errors(catalog)
        #expect(output == """
            suites/models.yaml:6:5: error: unknown key 'api_key' in model, and its value looks like a key: keys are \
            read from the environment only (export it, and name the variable in 'api_key_env')
                api_key: \(String(repeating: "*", count: secret.count))
                ^
            """)
        #expect(!output.contains("abcdefgh"))
    }

    @Test(arguments: [
        ("  token: abcdefghijklmnop", "  token: ****************"),
        ("  password: 'hunter2hunter2'", "  password: '**************'"),
        ("  note: see sk-live-0123456789abcdef here", "  note: see ************************ here"),
        ("  url: http://u:pa55word@h/v1", "  url: http://u:********@h/v1"),
        ("  max_tokens: 12345678", "  max_tokens: 12345678"),
        ("  key: ${OPENAI_KEY}", "  key: ${OPENAI_KEY}"),
        ("  api_key_env: OPENAI_API_KEY", "  api_key_env: OPENAI_API_KEY"),
    ])
    func quotedLinesMaskWhatLooksLikeASecret(_ line: String, _ shown: String) {
        #expect(SourceText.redactingKeys(line) == shown)
    }
}
