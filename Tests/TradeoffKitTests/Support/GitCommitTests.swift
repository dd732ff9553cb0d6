import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct GitCommitTests {
    private func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    @Test func aSuiteInARepositoryRecordsItsCommitAndWhetherItIsDirty() throws {
        try withTemporaryDirectory { directory in
            #expect(GitCommit.of(directory: directory.path) == nil)
            try directory.write("suites/s.yaml", "suite: s\n")
            try git(["init", "-q"], in: directory.path)
            try git(["add", "."], in: directory.path)
            try git(["commit", "-q", "-m", "x"], in: directory.path)
            let commit = try #require(GitCommit.of(directory: directory.file("suites")))
            #expect(commit.count == 40 && !commit.hasSuffix("-dirty"))
            // A suite named by a relative path (`tradeoff run suites/s.yaml`) gives a relative folder.
            let cwd = FileManager.default.currentDirectoryPath.split(separator: "/")
            let relative = String(repeating: "../", count: cwd.count) + directory.file("suites").drop { $0 == "/" }
            #expect(GitCommit.of(directory: relative) == commit)
            try directory.write("suites/s.yaml", "suite: changed\n")
            #expect(GitCommit.of(directory: directory.file("suites")) == commit + "-dirty")
        }
    }

    @Test func aLookupStartedEarlyGivesTheCommitOfTheSuitesFolder() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suites/s.yaml", "suite: s\n")
            let outside = GitCommit.Lookup(suitePath: directory.file("suites/s.yaml"))
            #expect(outside.commit == nil)
            try git(["init", "-q"], in: directory.path)
            try git(["add", "."], in: directory.path)
            try git(["commit", "-q", "-m", "x"], in: directory.path)
            let commit = try #require(GitCommit.of(directory: directory.file("suites")))
            let lookup = GitCommit.Lookup(suitePath: directory.file("suites/s.yaml"))
            #expect(lookup.commit == commit)
            #expect(lookup.commit == commit, "read again, the same answer without waiting")
            #expect(GitCommit.of(suitePath: directory.file("suites/s.yaml")) == commit)
            // A bare file name is a suite in the working directory.
            #expect(GitCommit.of(suitePath: "s.yaml") == GitCommit.of(directory: "."))
        }
    }

    /// A repository's config can make `git status` run a command (`core.fsmonitor`): it sees
    /// git's environment, which holds no API key.
    @Test func gitAndWhatItRunsDoNotSeeTheKeys() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suites/s.yaml", "suite: s\n")
            try git(["init", "-q"], in: directory.path)
            try git(["add", "."], in: directory.path)
            try git(["commit", "-q", "-m", "x"], in: directory.path)
            let seen = directory.file("seen-environment")
            try directory.write("hook.sh", "#!/bin/sh\nenv > '\(seen)'\nexit 1\n")
            #expect(chmod(directory.file("hook.sh"), 0o755) == 0)
            try git(["config", "core.fsmonitor", directory.file("hook.sh")], in: directory.path)
            var environment = ProcessInfo.processInfo.environment
            environment["TRADEOFF_GIT_TEST_KEY"] = "sk-git-test-0123456789"
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            let commit = try #require(GitCommit.of(directory: directory.file("suites"), environment: environment))
            #expect(commit.count == 40)
            let printed = try String(contentsOfFile: seen, encoding: .utf8)
            #expect(!printed.contains("sk-git-test") && !printed.contains("TRADEOFF_GIT_TEST_KEY"))
            #expect(printed.contains("PATH=") && printed.contains("GIT_CONFIG_NOSYSTEM=1"))
        }
    }

    @Test func gitKeepsItsOwnVariablesTheLocaleAndThePathOnly() {
        let kept = GitCommit.forGit(["PATH": "/bin", "HOME": "/h", "LC_ALL": "C", "GIT_DIR": "/r/.git", "LANG": "C.UTF-8",
                                     "OPENAI_API_KEY": "sk-1", "AWS_SECRET_ACCESS_KEY": "x", "GITHUB_TOKEN": "ghp_1",
                                     "TRADEOFF_DATABASE_URL": "postgres://u:p@h/db"])
        #expect(kept == ["PATH": "/bin", "HOME": "/h", "LC_ALL": "C", "GIT_DIR": "/r/.git", "LANG": "C.UTF-8"])
    }
}
