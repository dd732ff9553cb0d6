import FakeProvider
import Foundation
import TradeoffKit

/// Runs `body` with a fake provider serving `models` on 127.0.0.1 (an ephemeral port), and
/// shuts it down afterwards.
public func withFakeProvider<T>(apiKey: String? = "test-key", models: [FakeProviderConfig.Model],
                                _ body: (FakeProviderServer) throws -> T) throws -> T {
    let server = try FakeProviderServer.start(config: FakeProviderConfig(apiKey: apiKey, models: models))
    defer { server.shutdown() }
    return try body(server)
}

/// A catalog entry for a fake-provider model.
public func fakeModelEntry(id: String, served name: String, server: FakeProviderServer,
                           modelClass: ModelClass = .open, price: Price? = Price(inputPerMillion: 1, outputPerMillion: 2),
                           apiKeyEnv: String? = "TRADEOFF_TEST_KEY", maxConcurrency: Int = 4) -> ModelEntry {
    ModelEntry(id: id, baseURL: server.baseURL, model: name, modelClass: modelClass, price: price,
               apiKeyEnv: apiKeyEnv, maxConcurrency: maxConcurrency, timeoutSeconds: 10, simulated: true)
}

/// Finds a built product (e.g. `tradeoff`) next to the test bundle.
public func builtProduct(_ name: String) -> URL {
    var url = Bundle.main.bundleURL
    // On Linux the test runner is `.build/<config>/<Package>PackageTests.xctest`; products sit beside it.
    if url.pathExtension == "xctest" { url.deleteLastPathComponent() }
    for candidate in [url, Bundle.main.bundleURL.deletingLastPathComponent()] {
        let product = candidate.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: product.path) { return product }
    }
    return url.appendingPathComponent(name)
}
