import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The suite's `margin:`, `reference:` and `gates:` keys, read with the rest of the suite.
struct SuiteAnalysisKeysTests {
    @Test func readsMarginReferenceAndGates() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", """
                models:
                  - {id: big, base_url: "http://127.0.0.1:1/v1", model: x/big, class: frontier}
                  - {id: small, base_url: "http://127.0.0.1:1/v1", model: x/small, class: open}
                """)
            let suitePath = try directory.write("suite.yaml", """
                suite: keys
                models: models.yaml
                margin: 0.03
                reference: big
                gates:
                  - "quality(small) >= 0.8"
                  - "p95_latency(*) <= 2s"
                tasks:
                  - id: t
                    prompt: "Say {{x}}"
                    graders: [{type: contains, value: "{{x}}"}]
                    cases: [{vars: {x: hi}}]
                """)
            let suite = try SuiteLoader(environment: [:]).load(suitePath: suitePath).suite
            #expect(suite.margin == 0.03 && suite.reference == "big")
            #expect(suite.gates.map(\.text) == ["quality(small) >= 0.8", "p95_latency(*) <= 2s"])
            #expect(suite.gates.map(\.metric) == [.quality, .p95Latency])
        }
    }

    @Test func aSuiteWithoutThemHasNone() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", "models:\n  - {id: m, base_url: \"http://127.0.0.1:1/v1\", model: x/m, class: open}\n")
            let path = try directory.write("suite.yaml", """
                suite: plain
                models: models.yaml
                tasks:
                  - {id: t, prompt: "p", graders: [{type: json-valid}], cases: [{vars: {}}]}
                """)
            let suite = try SuiteLoader(environment: [:]).load(suitePath: path).suite
            #expect(suite.margin == nil && suite.reference == nil && suite.gates.isEmpty)
        }
    }
}
