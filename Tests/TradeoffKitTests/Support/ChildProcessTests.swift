import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Starting the programs Tradeoff runs (command graders, git, a browser).
struct ChildProcessTests {
    @Test func theEnvironmentGivenIsTheOneTheProgramGetsAndFindsItOn() throws {
        try withTemporaryDirectory { directory in
            try directory.write("bin/show", "#!/bin/sh\nprintf '%s|%s' \"$KEPT\" \"$DROPPED\"\n")
            #expect(chmod(directory.file("bin/show"), 0o755) == 0)
            let environment = ChildProcess.environment(keeping: ["PATH", "KEPT"], prefixes: [],
                                                       from: ["PATH": directory.file("bin") + ":/usr/bin:/bin", "KEPT": "yes",
                                                              "DROPPED": "sk-0123"])
            let result = try ChildProcess.run(argv: ["show"], directory: directory.path, input: Data(), timeout: 10, hiding: [],
                                              environment: environment).get()
            #expect(result.ending == .exited(0))
            #expect(String(decoding: result.stdout, as: UTF8.self) == "yes|")
        }
    }

    @Test func aProgramStillOpenForWritingIsTriedThenReportedBusy() throws {
        try withTemporaryDirectory { directory in
            let script = try directory.write("busy.sh", "#!/bin/sh\nexit 0\n")
            #expect(chmod(script, 0o755) == 0)
            let writer = open(script, O_WRONLY)
            #expect(writer >= 0)
            defer { close(writer) }
            let outcome = ChildProcess.run(argv: [script], directory: directory.path, input: Data(), timeout: 10, hiding: [])
            guard case .failure(let problem) = outcome else {
                Issue.record("a program open for writing started")
                return
            }
            #expect("\(problem)".hasSuffix(": Text file busy"), "\(problem)")
        }
    }
}
