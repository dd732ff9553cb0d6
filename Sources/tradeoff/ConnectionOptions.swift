import ArgumentParser
import Foundation
import TradeoffKit

/// How calls reach providers: retries and TLS trust. Shared by `run` and `models check`.
struct ConnectionOptions: ParsableArguments {
    // Unconditional: a negative number gets the message in `validate`, not "Missing value".
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Retries after a failed attempt (default 2, as the official SDKs; 6 with --nightly).",
        discussion: "Connection errors, timeouts, 408, 409, 429, 5xx, overloads, malformed bodies and cut streams are retried; 400, 401, 402, 403, 404, 413 and 422 never. A 429 (the provider's rate limit) has 8 retries of its own (12 with --nightly), because the run slows the model down in answer; --retries 0 turns those off too."))
    var retries: Int?

    @Option(parsing: .unconditional, help: "Longest computed wait between attempts, seconds (default 8; 30 with --nightly).")
    var maxBackoff: Double?

    @Flag(help: "A nightly job's retry budget: 6 retries, waits up to 30 s (a provider's Retry-After up to 120 s).")
    var nightly = false

    @Option(help: "A PEM file of CA certificates to trust instead of the system's (for TLS-inspecting proxies).",
            completion: .file())
    var caBundle: String?

    func validate() throws {
        if let retries, retries < 0 { throw ValidationError("--retries must be 0 or more, got \(retries)") }
        if let maxBackoff, maxBackoff <= 0 { throw ValidationError("--max-backoff must be more than 0 seconds") }
    }

    var retryPolicy: RetryPolicy {
        var policy = nightly ? RetryPolicy.nightly : .standard
        if let retries {
            policy.maxRetries = retries
            if retries == 0 { policy.maxRateLimitRetries = 0 }
        }
        if let maxBackoff { policy.maxBackoff = maxBackoff }
        return policy
    }

    /// The CA bundle path, checked to exist.
    func validatedCABundle() throws -> String? {
        guard let caBundle else { return nil }
        guard FileManager.default.isReadableFile(atPath: caBundle) else {
            printError("error: --ca-bundle '\(caBundle)' is not a readable file")
            throw ExitCode.badInput
        }
        return caBundle
    }
}
