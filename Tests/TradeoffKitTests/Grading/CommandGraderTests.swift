import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// External command graders: what they are given, what they may answer, and every way they fail.
/// The scripts are POSIX sh, so the tests need nothing beyond /bin/sh.
struct CommandGraderTests {
    private func grade(_ script: String, answer: String = "SELECT 1", timeout: Double = 5,
                       hidden: [String] = []) throws -> GraderOutcome {
        try withTemporaryDirectory { directory in
            try directory.write("graders/check.sh", script)
            let spec = CommandSpec(argv: ["sh", "graders/check.sh", "--strict"], workingDirectory: directory.path,
                                   timeout: timeout, expected: Template("{{want}}"), hiddenEnvironment: hidden)
            let task = SuiteTask(id: "sql", system: nil, prompt: Template("q"), settings: .defaults,
                                 graders: [GraderSpec(.command(spec), metric: "correctness")], cases: [])
            let testCase = TestCase(id: "c1", variables: ["want": "1 row"])
            let grader = try CaseGrader(task: task, testCase: testCase)
            let context = GradingContext(taskID: "sql", caseID: "c1", modelID: "m", system: nil, prompt: "Write SQL")
            let result = Box()
            grader.grade(answer, variables: testCase.variables, context: context, runID: 1, pool: nil) { result.value = $0 }
            return try #require(result.value?.grade.outcomes.first)
        }
    }

    private final class Box: @unchecked Sendable {
        // Set synchronously on the calling thread: no judge is involved.
        var value: CaseGrader.Graded?
    }

    @Test func theCommandGetsTheAnswerAndContextAndItsVerdictIsTheGrade() throws {
        // Echo back what came in, inside the reason, to check the request; runs in the suite's folder.
        let outcome = try grade(#"""
            input=$(cat)
            case "$input" in
              *'"answer":"SELECT 1"'*'"case":"c1"'*'"expected":"1 row"'*'"model":"m"'*'"prompt":"Write SQL"'*'"task":"sql"'*'"variables":{"want":"1 row"}'*) ;;
              *) echo "unexpected input: $input" >&2; exit 9 ;;
            esac
            [ -f graders/check.sh ] || { echo "not in the suite folder" >&2; exit 8; }
            [ "$1" = "--strict" ] || exit 7
            printf '{"score": 0.5, "passed": true, "reason": "one of two checks passed"}\n'
            """#)
        #expect(!outcome.isError, "\(outcome.reason)")
        #expect(outcome.score == 0.5 && outcome.passed)
        #expect(outcome.reason == "one of two checks passed")
        #expect(outcome.metric == "correctness")
    }

    @Test func passedDefaultsToAFullScoreAndReasonToTheScore() throws {
        let outcome = try grade(#"cat >/dev/null; echo '{"score": 1}'"#)
        #expect(outcome.passed && outcome.reason == "command 'sh': score 1.00")
    }

    @Test func keyVariablesAreHiddenFromTheCommand() throws {
        setenv("TRADEOFF_COMMAND_TEST_KEY", "sk-hidden", 1)
        defer { unsetenv("TRADEOFF_COMMAND_TEST_KEY") }
        let outcome = try grade(#"cat >/dev/null; echo "{\"score\": 1, \"reason\": \"key=[${TRADEOFF_COMMAND_TEST_KEY}]\"}""#,
                                hidden: ["TRADEOFF_COMMAND_TEST_KEY"])
        #expect(outcome.reason == "key=[]")
    }

    @Test(arguments: [
        (#"cat >/dev/null; echo "syntax error near line 3" >&2; exit 3"#,
         "command 'sh' exited with status 3: syntax error near line 3"),
        (#"cat >/dev/null; echo 'looks fine to me'"#,
         #"command 'sh' printed 'looks fine to me', not a JSON object like {"score": 1, "passed": true, "reason": "..."}"#),
        ("cat >/dev/null", #"command 'sh' printed nothing, not a JSON object like {"score": 1, "passed": true, "reason": "..."}"#),
        (#"cat >/dev/null; echo '{"score": 2}'"#, "command 'sh' printed 'score' 2; 'score' must be a number from 0 to 1"),
        (#"cat >/dev/null; echo '{"passed": true}'"#, "command 'sh' printed no 'score'; 'score' must be a number from 0 to 1"),
        (#"cat >/dev/null; echo '{"score": 1, "passed": "yes"}'"#,
         #"command 'sh' printed 'passed' "yes"; it must be true or false"#),
        (#"cat >/dev/null; kill -9 $$"#, "command 'sh' was killed by signal 9"),
    ])
    func failuresAreGraderErrorsWithTheCommandsStderr(_ script: String, _ reason: String) throws {
        let outcome = try grade(script)
        #expect(outcome.isError)
        #expect(outcome.reason == reason)
        #expect(outcome.score == 0 && !outcome.passed)
    }

    @Test func aCommandThatHangsIsKilledWithItsChildrenAtTheTimeout() throws {
        let started = Date()
        // The child `sleep` holds the output pipe too: the whole process group must die.
        let outcome = try grade("cat >/dev/null; echo 'thinking...' >&2; sleep 30", timeout: 0.5)
        #expect(outcome.isError)
        #expect(outcome.reason == "command 'sh' timed out after 0.5 s: thinking...")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func stderrIsTrimmedToItsEnd() {
        let long = String(repeating: "x", count: 500) + "\nthe real error\n"
        let trimmed = CommandGrader.trimmed(Data(long.utf8))
        #expect(trimmed.count == 300)
        #expect(trimmed.hasPrefix("…") && trimmed.hasSuffix("x | the real error"))
    }

    @Test(arguments: [
        // 2 MB, then a verdict that comes too late. (Quiet: the broken pipe's complaints would race the kill.)
        #"cat >/dev/null; exec 2>/dev/null; head -c 2000000 /dev/zero | tr '\0' a; echo '{"score": 1}'"#,
        // Never ends: killed at the limit, long before its timeout.
        "cat >/dev/null; exec 2>/dev/null; yes",
    ])
    func standardOutputPastOneMegabyteIsAGraderError(_ script: String) throws {
        let outcome = try grade(script, timeout: 120)
        #expect(outcome.isError)
        #expect(outcome.reason == #"command 'sh' printed more than 1 MB on standard output; it must print one JSON "#
                + #"verdict, like {"score": 1}"#)
    }

    @Test func onlyTheEndOfStandardErrorIsHeldWhileItIsRead() throws {
        // 8 MB of noise, then the line that matters: what is held stays within the tail kept.
        let script = "cat >/dev/null; { head -c 8000000 /dev/zero | tr '\\0' x; echo; echo 'the real error'; } >&2; exit 3"
        let result = try withTemporaryDirectory { directory in
            try directory.write("noisy.sh", script)
            return try ChildProcess.run(argv: ["sh", "noisy.sh"], directory: directory.path, input: Data(), timeout: 60,
                                        hiding: []).get()
        }
        #expect(result.ending == .exited(3))
        #expect(result.stderr.count <= ChildProcess.errorTail && result.stderrCut)
        let outcome = try grade(script, timeout: 60)
        #expect(outcome.reason == "command 'sh' exited with status 3: …" + String(repeating: "x", count: 282)
                + " | the real error")
    }

    @Test func aCutStandardErrorSaysSoAndSkipsAHalfCharacter() {
        // The tail starts inside `é` (0xC3 0xA9): the stray 0xA9 is dropped, not shown as `�`.
        #expect(CommandGrader.trimmed(Data([0xA9]) + Data(" disk full\n".utf8), cut: true) == "…disk full")
        #expect(CommandGrader.trimmed(Data("  \n".utf8), cut: true) == "")
        #expect(CommandGrader.trimmed(Data("disk full".utf8)) == "disk full")
    }

    @Test func aMissingProgramIsAGraderError() throws {
        let spec = CommandSpec(argv: ["definitely-not-a-program-7f3a"], workingDirectory: "/tmp")
        let outcome = try Grader(GraderSpec(.command(spec))).grade("x", variables: [:])
        #expect(outcome.isError && outcome.reason == "command 'definitely-not-a-program-7f3a' not found on PATH")
    }
}
