import ArgumentParser
import FakeProvider
import Foundation

/// `fake-provider`: serves simulated models over the OpenAI, Azure OpenAI, Anthropic and Gemini
/// APIs on loopback, so the demo and the end-to-end tests run without keys, network or cost.
struct FakeProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-provider",
        abstract: "Serve simulated models over OpenAI, Azure, Anthropic and Gemini APIs on loopback.",
        discussion: """
            Every configured model is served in four wire formats; the path picks the format \
            and the key goes in that format's header:
              OpenAI     POST /v1/chat/completions
                         Authorization: Bearer KEY
              Azure      POST /openai/deployments/MODEL/chat/completions?api-version=...
                         api-key: KEY
              Anthropic  POST /v1/messages
                         x-api-key: KEY, anthropic-version: 2023-06-01
              Gemini     POST /v1beta/models/MODEL:generateContent
                         POST /v1beta/models/MODEL:streamGenerateContent?alt=sse
                         x-goog-api-key: KEY
            Streaming ("stream": true, or Gemini's streamGenerateContent) sends server-sent events. \
            A model's `flavor` makes /v1/chat/completions imitate an OpenAI-compatible host: openai, \
            openrouter, groq, vllm, ollama or together (where streamed usage goes, cost, timings). \
            Also: GET /v1/models, and GET /_fake/stats (requests, served answers and injected faults \
            per model, as JSON).

            Answers, latencies and token counts are deterministic: the same request always gets the \
            same answer. Faults (top-level `faults:`, or per model) are fractions of requests: \
            rate_limit (429 + retry-after), server_error (500/503), overloaded (529 Anthropic, else \
            503), malformed (200 with cut JSON), cut_stream (connection closed mid-response), \
            mid_stream_error (error event after 200), slow_first_byte (+slow_first_byte_ms), reset \
            (TCP reset, no response) and hang (never answers). Each draw depends on the model, the \
            exact body and how often it was sent, so an identical retry can succeed. A model's `limits` \
            (max_concurrency, requests and tokens per window_ms) are enforced like a provider's: \
            429 over them, and x-ratelimit-* / anthropic-ratelimit-* headers on every answer. The \
            config format is documented at the top of suites/demo.fake-provider.yaml.

            Besides the demo's task phrasings, a `simulated: {accuracy: 0.8}` model answers the \
            cases of the suite the config names (`answers_from: mine.yaml`) with the values its \
            graders expect, right on that share of the cases and plausibly wrong on the others, so \
            a new suite can be dry-run end to end without a key.

            Runs until interrupted (SIGINT or SIGTERM), then exits 0.

            Exit codes: 0 stopped cleanly, 2 bad config or non-loopback host, 3 could not listen.

            Examples:
              fake-provider --config suites/demo.fake-provider.yaml --port 8089
              fake-provider --config mine.fake-provider.yaml --port 0 --port-file port.txt
            """)

    @Option(name: .long, help: ArgumentHelp("The fake provider config (YAML).", valueName: "file"))
    var config: String

    @Option(name: .long, help: "A loopback address to listen on: 127.0.0.0/8, localhost or ::1.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on; 0 picks a free one (see --port-file).")
    var port = 0

    @Option(name: .long, help: ArgumentHelp(
        "Write the port actually bound (digits and a newline) to this file once listening; it is removed on exit.",
        valueName: "file"))
    var portFile: String?

    func run() throws {
        let server: FakeProviderServer
        do {
            let loaded = try FakeProviderConfig(contentsOf: config)
            server = try FakeProviderServer.start(config: loaded, host: host, port: port)
        } catch let error as FakeProviderError {
            Self.printError("fake-provider: \(error)")
            throw ExitCode(error.isBadInput ? 2 : 3)
        }
        if let portFile {
            do {
                try Self.writeAtomically("\(server.port)\n", to: portFile)
            } catch {
                server.shutdown()
                Self.printError("fake-provider: error: cannot write port file '\(portFile)': \(error.localizedDescription)")
                throw ExitCode(3)
            }
        }
        let count = server.config.models.count
        Self.printError("fake-provider: listening on \(server.baseURL) (\(count) model\(count == 1 ? "" : "s"))")

        let portFile = self.portFile
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)  // let the dispatch source see it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                server.shutdown()
                if let portFile { try? FileManager.default.removeItem(atPath: portFile) }
                Self.printError("fake-provider: stopped")
                Foundation.exit(0)
            }
            source.resume()
            return source
        }
        withExtendedLifetime(sources) { dispatchMain() }
    }

    /// Writes to a temporary file beside `path`, then renames it, so a reader polling for the
    /// file never sees it half written.
    static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = "\(path).\(ProcessInfo.processInfo.processIdentifier).tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

FakeProviderCommand.main()
