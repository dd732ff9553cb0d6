import Testing
@testable import TradeoffKit

/// `--only-models`: what it selects, and the lists it refuses before anything is spent.
struct ModelSelectionTests {
    private let catalog = Catalog(path: "models.yaml", models: ["good", "cheap"].map { id in
        ModelEntry(id: id, baseURL: "http://127.0.0.1:1/v1", model: "sim/\(id)", modelClass: .open, price: nil, apiKeyEnv: nil)
    })

    @Test(arguments: [("cheap", ["cheap"]), (" cheap , good ", ["cheap", "good"]), ("good,,good", ["good"])])
    func selectsTheNamedModelsInOrder(list: String, ids: [String]) throws {
        #expect(try catalog.models(selectedBy: list).map(\.id) == ids)
    }

    /// An empty CI variable must not run zero models and pass.
    @Test(arguments: [
        ("", "--only-models names no model (got ''); models.yaml has: good, cheap"),
        (",", "--only-models names no model (got ','); models.yaml has: good, cheap"),
        ("good,god", "unknown model 'god' in --only-models (did you mean 'good'?); models.yaml has: good, cheap"),
    ])
    func refusesAListNamingNoKnownModel(list: String, message: String) {
        #expect(throws: ModelSelectionError.self) { try catalog.models(selectedBy: list) }
        do { _ = try catalog.models(selectedBy: list) } catch { #expect("\(error)" == message) }
    }
}
