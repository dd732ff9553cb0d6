import Foundation
import Testing
@testable import FakeProvider

@Suite("Simulation")
struct SimulationTests {
    @Test("FNV-1a 64 matches the reference vectors",
          arguments: [("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)])
    func fnv(_ text: String, _ expected: UInt64) {
        #expect(FNV1a.hash(text) == expected)
    }

    @Test("Ticket keyword rules", arguments: [
        ("I was charged twice", "billing"),
        ("The app crashes on launch", "bug"),
        ("Payment failed at checkout", "billing"),  // billing rules come first
        ("It would be nice to export to CSV", "feature"),
        ("We need support for SCIM", "feature"),
        ("Please update my shipping address", "other"),  // "address" is not "add"
        ("Where is the SOC 2 report?", "other"),
    ])
    func triage(_ ticket: String, _ label: String) {
        #expect(TicketClassifier.label(for: ticket) == label)
    }

    @Test("Families are recognised only by their exact phrasing", arguments: [
        ("Compute: 12 - 30", TaskFamily.arithmetic(result: -18)),
        ("compute 12 - 30", .unknown),
        ("Compute: 9223372036854775807 + 1", .unknown),  // overflow is not a question we answer
        ("Extract the email address.\nText: write to a.b@c.org please", .emailExtraction(text: "write to a.b@c.org please")),
        ("Extract the email address.", .unknown),
        ("Classify the ticket as billing, bug, feature or other.\nTicket: refund me", .triage(ticket: "refund me")),
        (#"Return a JSON object with keys "name" and "age".\#nPerson: Ana Li is 1 year old."#, .personJSON(name: "Ana Li", age: 1)),
    ])
    func recognition(_ prompt: String, _ family: TaskFamily) {
        #expect(TaskFamily(prompt: prompt) == family)
    }

    @Test("Email extraction takes the first address and stops before trailing punctuation")
    func email() {
        #expect(TaskFamily.firstEmail(in: "CC: a@x.org, b@x.org") == "a@x.org")
        #expect(TaskFamily.firstEmail(in: "Write to l.nguyen@corp.co.uk.") == "l.nguyen@corp.co.uk")
        #expect(TaskFamily.emailExtraction(text: "no address here").correctAnswer == "none")
    }

    @Test("Names are escaped in JSON answers")
    func jsonEscaping() throws {
        let answer = TaskFamily.personJSON(name: #"Ann "Q" Lee"#, age: 30).correctAnswer
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
        #expect(object["name"] as? String == #"Ann "Q" Lee"#)
    }

    @Test("Wrong JSON answers alternate between a wrong age and invalid JSON")
    func wrongJSON() {
        let family = TaskFamily.personJSON(name: "Ana", age: 30)
        let answers = (0..<8).map { family.wrongAnswer(variation: UInt64($0)) }
        let invalid = answers.filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) == nil }
        #expect(invalid.count == 4)
        #expect(answers.allSatisfy { $0 != family.correctAnswer })
    }

    @Test("The share of correct answers follows the accuracy")
    func accuracy() {
        let model = FakeProviderConfig.Model(name: "sim/m", accuracy: 0.7)
        let outcomes = (1...1000).map {
            Simulator.outcome(model: model, messages: [ChatMessage(role: "user", content: "Compute: \($0) + \($0 * 3)")])
        }
        let share = Double(outcomes.filter(\.isCorrect).count) / Double(outcomes.count)
        #expect(abs(share - 0.7) < 0.05)
        #expect(outcomes.allSatisfy { ($0.answer == $0.family.correctAnswer) == $0.isCorrect })
    }

    @Test("Delays stay within latency ± jitter, are never negative and repeat per request")
    func jitter() {
        let model = FakeProviderConfig.Model(name: "sim/m", latencyMs: 20, jitterMs: 30)
        let delays = (1...300).map {
            Simulator.outcome(model: model, messages: [ChatMessage(role: "user", content: "q\($0)")]).delayMs
        }
        #expect(delays.allSatisfy { (0...50).contains($0) })
        #expect(Set(delays).count > 10)
        let again = Simulator.outcome(model: model, messages: [ChatMessage(role: "user", content: "q1")]).delayMs
        #expect(again == delays[0])
    }

    @Test("Only the last user message decides the family")
    func lastUserMessage() {
        let model = FakeProviderConfig.Model(name: "sim/m")
        let messages = [
            ChatMessage(role: "system", content: "Compute: 1 + 1"),
            ChatMessage(role: "user", content: "Compute: 2 + 2"),
            ChatMessage(role: "assistant", content: "4"),
            ChatMessage(role: "user", content: "Compute: 3 + 3"),
        ]
        #expect(Simulator.outcome(model: model, messages: messages).answer == "6")
    }

    @Test("Compute: A OP B is read as the regex it replaced reads it")
    func computationMatchesTheRegex() {
        let prompts = ["Compute: 12 + 30. Answer with the number only.", "Compute:-5 - -3", "Compute: 5 -3", "Compute: 7*6",
                       "x Compute: a + 1 then Compute: 2 * 3", "Compute: 1 / 2", "Compute:", "no question", "Compute: 4 +",
                       "Compute:  \n 9\t*\t9", "Compute: 99999999999999999999 + 1", "Compute: - 4 + 1", "Compute: 3 ++ 4"]
        for prompt in prompts {
            let expected = prompt.firstMatch(of: /Compute:\s*(-?\d+)\s*([-+*])\s*(-?\d+)/).flatMap { match in
                Int(match.output.1).flatMap { a in Int(match.output.3).map { (a, String(match.output.2), $0) } }
            }
            let found = TaskFamily.computation(in: prompt).map { ($0.0, String($0.1), $0.2) }
            #expect(found?.0 == expected?.0 && found?.1 == expected?.1 && found?.2 == expected?.2, "\(prompt)")
        }
    }
}

