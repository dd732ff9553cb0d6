import Foundation
import Testing
@testable import TradeoffKit

/// Stored grades are read straight off their bytes when Tradeoff wrote them, and by
/// `JSONDecoder` otherwise: either way, exactly what `JSONDecoder` reads.
struct GraderOutcomeDecodingTests {
    private static func reference(_ text: String) -> [GraderOutcome] {
        (try? JSONDecoder().decode([GraderOutcome].self, from: Data(text.utf8))) ?? []
    }

    static let written: [[GraderOutcome]] = [
        [],
        [GraderOutcome(type: "exact", score: 1, weight: 1, reason: "matches")],
        [GraderOutcome(type: "numeric", score: 1.0 / 3, passed: false, weight: 0.1, reason: "off by \"2\" \\ ok\n\ttab",
                       metric: "accuracy", extracted: "42"),
         GraderOutcome.error(type: "command", weight: 2, metric: nil, reason: "exit 1: ünïcødé 🙂 \u{1} </p>")],
        [GraderOutcome(type: "similarity", score: 1e-7, weight: 123_456_789.123, reason: ""),
         { var online = GraderOutcome(type: "not-refusal", score: 0, weight: 1, reason: "refused"); online.online = true; return online }()],
    ]

    @Test func outcomesTradeoffWroteAreReadStraightAndAsJSONDecoderReadsThem() throws {
        for outcomes in Self.written {
            for text in [GraderOutcome.json(of: outcomes), GraderOutcome.encoded(outcomes)] {
                let plain = try #require(GraderOutcome.plainDecoded(text), "read straight: \(text)")
                #expect(plain == Self.reference(text), "\(text)")
                #expect(plain == outcomes, "\(text)")
                #expect(GraderOutcome.decoded(text) == outcomes)
            }
        }
    }

    @Test func anythingElseReadsAsJSONDecoderReadsIt() {
        let judged = GraderOutcome(type: "judge", score: 1, weight: 1, reason: "ok",
                                   judges: [JudgeOpinion(model: "j", score: 1, passed: true, verdict: "PASS", reason: "fine",
                                                         isError: false, costMicros: 12, calls: 1, reused: false)])
        let texts = [
            GraderOutcome.json(of: [judged]),
            #"[{"type":"x","score":1,"weight":1,"reason":"","judges":null}]"#,
            #"[{"type":"x","score":1,"weight":1,"reason":"","passed":null,"metric":null,"error":null,"online":null}]"#,
            #"[{"type":"x","score":0.5,"weight":1,"reason":"","extra":[1,{"a":null}],"more":"\u00e9"}]"#,
            #"[{"type":"x","score":1,"weight":1,"reason":"a","reason":"b"}]"#,
            #"[{"type":"x","score":1e999,"weight":1,"reason":""}]"#,
            #"[{"type":"x","score":"1","weight":1,"reason":""}]"#,
            #"[{"type":"x","score":1,"weight":1,"reason":"","passed":"yes"}]"#,
            #"[{"type":"x","score":1,"weight":1}]"#,
            #"[{"type":null,"score":1,"weight":1,"reason":""}]"#,
            #"[{"t\u0079pe":"x","score":1,"weight":1,"reason":""}]"#,
            #"[{"type":"x","score":-0,"weight":1E2,"reason":"\ud83d\ude42"}]"#,
            #"[{"type":"x","score":01,"weight":1,"reason":""}]"#,
            #"[{"type":"x","score":1,"weight":1,"reason":""}] trailing"#,
            #"[{"type":"x","score":1,"weight":1,"reason":""},]"#,
            #"{"type":"x"}"#, "[]", "null", "", "[", #"[{"type":"x","score":1,"weight":1,"reason":"\u0000"}]"#,
        ]
        for text in texts {
            #expect(GraderOutcome.decoded(text) == Self.reference(text), "\(text)")
        }
        #expect(GraderOutcome.decoded(nil).isEmpty)
    }
}
