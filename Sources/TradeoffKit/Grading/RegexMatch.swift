import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first match of a regex within a time limit. ICU backtracks, so a pattern like
/// `(x+x+)+y` takes exponential time on a long run of `x` (150 of them: longer than a run
/// lasts); NSRegularExpression has no timeout, but with `.reportProgress` ICU calls back every
/// few thousand steps of a long match, and the callback can stop it.
enum RegexMatch {
    /// A match, none, or no answer within the limit.
    case found(NSTextCheckingResult)
    case noMatch
    case gaveUp

    /// How long one answer may be matched: CPU time of the matching thread, so a busy machine
    /// does not fail a pattern that is merely slow to be scheduled.
    static let timeLimit: Double = 1

    /// Finds `regex`'s first match in `text`, giving up after `limit` seconds of CPU time.
    static func first(of regex: NSRegularExpression, in text: String, limit: Double = timeLimit) -> RegexMatch {
        let deadline = threadCPUTime() + limit
        var result = RegexMatch.noMatch
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            match, _, stop in
            if let match {
                result = .found(match)
                stop.pointee = true
            } else if threadCPUTime() > deadline {
                result = .gaveUp
                stop.pointee = true
            }
        }
        return result
    }

    /// Seconds of CPU time the calling thread has used.
    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
