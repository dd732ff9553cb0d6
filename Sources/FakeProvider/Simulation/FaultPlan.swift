/// The faults one request gets, drawn from the model's fault mix.
///
/// The draw hashes the model, the exact body and how many times that body was sent before
/// (`attempt`, from 1), so the same sequence of requests always meets the same faults, and an
/// identical retry is a fresh draw that can succeed.
struct FaultPlan: Sendable, Hashable {
    /// The failing fault, if any.
    var failure: FakeProviderConfig.Faults.Kind?
    /// Extra milliseconds before the first byte; 0 unless the request drew a slow first byte.
    var slowFirstByteMs: Int
    /// Hash bits for choices within a fault (500 or 503).
    var variant: UInt64

    /// No fault.
    static let none = FaultPlan(failure: nil, slowFirstByteMs: 0, variant: 0)

    /// The kinds to count for this request.
    var kinds: [FakeProviderConfig.Faults.Kind] {
        (failure.map { [$0] } ?? []) + (slowFirstByteMs > 0 ? [.slowFirstByte] : [])
    }

    /// Draws the faults for one request.
    /// - Parameters:
    ///   - faults: The model's fault mix.
    ///   - model: The model name.
    ///   - body: The request body, byte for byte.
    ///   - attempt: How many times this model has now seen this body, counting this request.
    ///   - streaming: Whether the request streams; a mid-stream error cannot hit a plain response.
    static func draw(_ faults: FakeProviderConfig.Faults, model: String, body: [UInt8], attempt: Int,
                     streaming: Bool) -> FaultPlan {
        var hash = FNV1a.hash(model)
        hash = FNV1a.hash(body, from: hash ^ 0xff)
        hash = FNV1a.hash("\u{0}\(attempt)", from: hash)
        hash = mix(hash)
        // Independent bit ranges for the two draws and the variant.
        let failureDraw = Double(hash & 0xFFFFF) / Double(1 << 20)
        let slowDraw = Double((hash >> 20) & 0xFFFFF) / Double(1 << 20)
        var failure: FakeProviderConfig.Faults.Kind?
        var threshold = 0.0
        for (kind, fraction) in faults.failing where fraction > 0 {
            threshold += fraction
            if failureDraw < threshold {
                failure = kind
                break
            }
        }
        if failure == .midStreamError, !streaming { failure = nil }
        let slow = faults.slowFirstByteMs > 0 && slowDraw < faults.slowFirstByte
        return FaultPlan(failure: failure, slowFirstByteMs: slow ? faults.slowFirstByteMs : 0, variant: hash >> 40)
    }

    /// SplitMix64's finaliser: FNV-1a's low bits barely change when only the attempt number
    /// does, so they are spread over the whole word first.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
