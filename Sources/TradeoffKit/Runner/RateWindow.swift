/// A sliding window over the last `span` seconds: what was started in it may not exceed
/// `capacity`, one second's worth of a per-minute limit.
///
/// A token bucket of the same rate lets a second's worth through at once and keeps refilling,
/// so any one second can see twice the limit; a provider that counts in fixed windows (the fake
/// provider, and limiters that quantize a per-minute limit to seconds) then refuses the
/// excess. Whatever a sliding window lets through fits every fixed window of the same span, and
/// the long-run rate is the same.
///
/// An amount larger than the capacity (one prompt bigger than a second's worth of tokens)
/// waits for an empty window and then fills it for as long as its size takes at the rate, so
/// the long-run rate still holds; so does a single start under a limit of less than one a second.
struct RateWindow: Sendable, Hashable {
    /// One start: the part of the capacity it holds, until when.
    private struct Entry: Sendable, Hashable {
        var expires: Double
        var amount: Double
    }

    let ratePerSecond: Double
    let capacity: Double
    let span: Double
    /// Added to how long each start is held: the provider counts a request when it arrives, a
    /// little after it was sent and by a varying amount, so a start sent exactly one span after
    /// the first of a window can still land in that window.
    let slack: Double
    /// Starts in order of expiry (each expires no earlier than the ones before it: a start waits
    /// until what it needs has expired); `head` is the first still counted.
    private var entries: [Entry] = []
    private var head = 0
    /// The amounts of `entries[head...]`.
    private var held = 0.0

    /// An empty window for `perMinute` units a minute, `spanSeconds` long, each start held
    /// `slackSeconds` longer.
    init(perMinute: Int, spanSeconds: Double = 1, slackSeconds: Double = 0) {
        ratePerSecond = Double(perMinute) / 60
        span = spanSeconds
        slack = slackSeconds
        capacity = max(1, ratePerSecond * spanSeconds)
    }

    /// Seconds until `amount` can start; 0 when it can now.
    func wait(for amount: Double, now: Double) -> Double {
        let needed = min(amount, capacity)
        var held = self.held
        if capacity - held >= needed { return 0 }
        // Walk the starts in order of expiry until enough of the window is free.
        for entry in entries[head...] {
            held -= entry.amount
            if capacity - held >= needed { return max(0, entry.expires - now) }
        }
        return 0
    }

    /// `amount` starts at `now`.
    mutating func take(_ amount: Double, now: Double) {
        expire(now)
        let counted = min(amount, capacity)
        // An amount over a second's worth (or any amount, under one unit a second) holds its part
        // for as long as its size takes at the rate.
        let holds = max(span, amount / ratePerSecond) + slack
        let expires = max(now + holds, entries.last?.expires ?? 0)
        entries.append(Entry(expires: expires, amount: counted))
        held += counted
    }

    private mutating func expire(_ now: Double) {
        while head < entries.count, entries[head].expires <= now {
            held -= entries[head].amount
            head += 1
        }
        // Compact once the expired prefix is most of the array, so it stays as long as a window's starts.
        if head > 64 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        if head == entries.count { held = 0 }
    }
}
