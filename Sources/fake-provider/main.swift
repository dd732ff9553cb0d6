import ArgumentParser
import FakeProvider
import Foundation

/// `fake-provider`: serves simulated models over OpenAI's Chat Completions API on loopback, so
/// the demo and the end-to-end tests run without keys, network or cost.
struct FakeProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-provider",
        abstract: "Serve simulated models over an OpenAI-compatible API on loopback.",
        discussion: """
            Answers POST /v1/chat/completions (non-streaming) and GET /v1/models. Answers, latencies and \
            token counts are deterministic: the same request always gets the same response. The config \
            format is documented at the top of suites/demo.fake-provider.yaml.

            Runs until interrupted (SIGINT or SIGTERM), then exits 0.

            Exit codes: 0 stopped cleanly, 2 bad config or non-loopback host, 3 could not listen.
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
