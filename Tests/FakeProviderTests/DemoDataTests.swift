import Foundation
import Testing
@testable import FakeProvider

/// The demo suite's ground truth must be what the fake provider calls correct, or a perfect
/// model would fail the demo. These tests read the real files under `suites/`.
@Suite("Demo datasets agree with the fake provider")
struct DemoDataTests {
    static let perfect = FakeProviderConfig.Model(name: "sim/perfect", accuracy: 1)

    /// The answer a perfect model gives to `prompt`, through the same path as a request.
    func perfectAnswer(_ prompt: String) -> String {
        Simulator.outcome(model: Self.perfect, messages: [ChatMessage(role: "user", content: prompt)]).answer
    }

    func jsonLines(_ file: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: suiteFile(file), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
    }

    @Test("Every ticket's label is the label the keyword rules give")
    func tickets() throws {
        let rows = try jsonLines("data/demo-tickets.jsonl")
        #expect(rows.count >= 20)
        for row in rows {
            let ticket = try #require(row["ticket"])
            let prompt = "Classify the ticket as billing, bug, feature or other. Answer with one word.\nTicket: \(ticket)\n"
            #expect(perfectAnswer(prompt) == row["label"], "ticket \(row["id"] ?? "?")")
        }
        #expect(Set(rows.compactMap { $0["label"] }) == Set(TicketClassifier.labels))
        #expect(Set(rows.compactMap { $0["id"] }).count == rows.count)
    }

    @Test("Every arithmetic row's answer is the computed result")
    func arithmetic() throws {
        let lines = try String(contentsOfFile: suiteFile("data/demo-arithmetic.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["id", "a", "op", "b", "answer"])
        let rows = lines.dropFirst()
        #expect(rows.count >= 20)
        for row in rows {
            #expect(row.count == 5)
            #expect(perfectAnswer("Compute: \(row[1]) \(row[2]) \(row[3])\nAnswer with the number only.\n") == row[4],
                    "row \(row[0])")
        }
    }

    @Test("Every person's correct answer is valid JSON carrying their age")
    func people() throws {
        let rows = try jsonLines("data/demo-people.jsonl")
        #expect(rows.count >= 8)
        for row in rows {
            let name = try #require(row["name"]), age = try #require(row["age"])
            let prompt = "Return a JSON object with keys \"name\" and \"age\". Answer with the JSON only.\n"
                + "Person: \(name) is \(age) years old.\n"
            let answer = perfectAnswer(prompt)
            let object = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
            #expect(object?["name"] as? String == name)
            #expect(answer.contains("\"age\": \(age)"), "person \(row["id"] ?? "?")")
        }
    }

    @Test("The catalog's simulated models are the ones the demo config serves")
    func catalogMatchesConfig() throws {
        let config = try FakeProviderConfig(contentsOf: suiteFile("demo.fake-provider.yaml"))
        let catalog = try String(contentsOfFile: suiteFile("demo.models.yaml"), encoding: .utf8)
        let names = catalog.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("model: ") ? String(trimmed.dropFirst("model: ".count)) : nil
        }
        #expect(names == config.models.map(\.name))
    }
}
