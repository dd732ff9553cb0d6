import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import TradeoffKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a suite on every model of its catalog, record the results, write the report.",
        discussion: """
            Every case of every task is sent to every selected model (at most max_concurrency calls \
            per model at once), graded, and recorded in the results database as it completes. API \
            keys are read from the environment variables the catalog names, never from files. \
            Ctrl-C stops starting calls, lets the ones in flight finish and records them; a second \
            Ctrl-C abandons the calls in flight (a resume makes them) and records the run as \
            interrupted; a third quits at once. SIGTERM and SIGHUP count as Ctrl-C, and the calls \
            in flight after them are abandoned after 8 seconds.

            Batch mode (--batch, or batch: true on a model in the catalog) sends the calls of models \
            on OpenAI's API (and Together's and Groq's) through OpenAI's Batch API, of models on \
            Anthropic's API through its Message Batches, and of Gemini models through Gemini's \
            batch mode, at half price (or the catalog's batch prices): they are recorded, \
            submitted in batches within the provider's limits (OpenAI 50,000 requests and 200 MB, \
            Anthropic 100,000 and 256 MB, Gemini 20 MB inlined), polled, and collected within 24 \
            hours; other models run as usual. Batches are recorded \
            in the results database before they are submitted, so a run killed at any moment is \
            resumed with --resume without submitting a call twice; Ctrl-C leaves them to the \
            resume instead of waiting. Examples:

              tradeoff run nightly.yaml --batch            # submit, wait, collect
              tradeoff run nightly.yaml --batch --no-wait  # submit and exit; later:
              tradeoff run nightly.yaml --resume latest    # collect, wait for the rest
              tradeoff run nightly.yaml --batch --batch-fallback  # retry failed requests at once

            Examples:
              tradeoff run suites/demo.yaml
              tradeoff run suites/demo.yaml --only-models gpt-4o,qwen-2.5-7b --budget-usd 5
              tradeoff run suites/demo.yaml --gate "quality(*) >= 0.85" --junit junit.xml
              tradeoff run suites/demo.yaml --shard 2/4 --db shard-2.sqlite --no-report
              tradeoff run suites/demo.yaml --only-tasks triage,arithmetic --limit 5
              tradeoff run suites/demo.yaml --sample 20 --seed 7
              tradeoff run suites/demo.yaml --shard auto/4 --db pod.sqlite --no-report
              tradeoff run suites/demo.yaml --resume latest
              tradeoff run suites/demo.yaml --pdf
            """
    )

    @OptionGroup var selection: SuiteOptions

    @Option(help: "The results database (default: results/<suite>.sqlite).")
    var db: String?

    @Flag(help: "Do not write the report at the end.")
    var noReport = false

    @Option(help: ArgumentHelp(
        "Continue a stopped run ('latest' or a run id) without repeating any call it recorded.",
        discussion: "The suite (and its datasets and grader files) and the models must be the ones the run was made with.",
        valueName: "latest|id"))
    var resume: String?

    @Flag(help: "With --resume: make again the calls that ended in an error (their rows are replaced).")
    var retryErrors = false

    // Unconditional: `--budget-usd -1` reaches the check below instead of reading as a flag.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Spend limit in USD: no call is started that could take the spend past it.",
        discussion: "A call's worst case is its estimated input plus max_tokens of output at its model's prices; the spend so far plus the worst case of every call in flight must stay within the limit. Unpriced and hourly-priced models are not held to it."),
            transform: { text in
                guard let value = Decimal(string: text) else {
                    throw ValidationError("--budget-usd must be an amount in USD like 25 or 0.50, got '\(text)'")
                }
                return value
            })
    var budgetUsd: Decimal?

    @Option(help: ArgumentHelp(
        "The response cache: on, read, write or off (default on; write in CI and with --nightly).",
        discussion: "Answers are recorded in the results database keyed by the canonical request (wire format, endpoint, model, messages, parameters, extra fields, repeat index; never the key). 'on' replays an answer recorded for the same request and records new ones; 'read' only replays; 'write' makes every call and records it for later runs; 'off' makes every call and records none for later. A replayed answer is graded again, counts at what it cost when it was made (nothing is spent on it), and is left out of latency.",
        valueName: "mode"))
    var cache: CacheMode?

    @Flag(help: "Same as --cache off: make every call.")
    var noCache = false

    @Flag(help: ArgumentHelp(
        "Send the calls of OpenAI, Together, Groq, Anthropic and Gemini models through their batch APIs, at batch prices.",
        discussion: "Answers come within 24 hours; their latency is not measured. Other models run as usual (another OpenAI-compatible host that serves the Batch API: batch: true in the catalog)."))
    var batch = false

    @Flag(help: "With --batch: exit once the batches are submitted; --resume collects them.")
    var noWait = false

    @Flag(help: ArgumentHelp(
        "With --batch: retry requests that expired or failed in their batch as ordinary calls, not in a new batch.",
        discussion: "They cost the usual price and are answered at once instead of within another 24 hours; the report says how many."))
    var batchFallback = false

    @Option(help: ArgumentHelp("Seconds before a batch is first polled; later polls back off to a minute.",
                               valueName: "seconds"))
    var batchPollSeconds: Double = 5

    @Option(help: ArgumentHelp("Requests per batch at most (below the provider's limit: OpenAI 50,000, Anthropic 100,000).",
                               visibility: .hidden))
    var batchMaxRequests: Int?

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @OptionGroup var output: ReportOptions

    @OptionGroup var printing: PDFOptions

    func run() throws {
        // git answers while the suite loads and the database opens.
        let gitCommit = GitCommit.Lookup(suitePath: selection.suite)
        let loader = SuiteLoader()
        var (loaded, plan) = try selection.plan(loader: loader)
        for index in plan.models.indices where batch || plan.models[index].batch {
            let model = plan.models[index]
            let reason = BatchSettings.reasonNotBatched(model)
            plan.models[index].batch = reason == nil
            if let reason { printError("warning: \(model.id) runs as usual: \(reason)") }
        }
        let models = plan.models
        // Judges are called like candidates: their keys must be set, their prices current.
        let judges = loaded.suite.judgeModels.filter { judge in !models.contains { $0.id == judge.id } }
        let missing = loader.missingCredentials(for: models + judges)
        if !missing.isEmpty {
            printError(DiagnosticsError(missing).description)
            throw ExitCode.badInput
        }
        let databasePath = db ?? "results/\(loaded.suite.name).sqlite"
        if PostgresURL.isURL(databasePath) {
            printError("error: --db: a run is recorded in a SQLite file; name one (like results/\(loaded.suite.name).sqlite), "
                       + "then copy the run to the shared history with `tradeoff push`")
            throw ExitCode.badInput
        }
        // Everything the flags name is checked before the first call: nothing is spent on a
        // run whose report, gates or baseline could not be made.
        try output.checkNames(modelIDs: models.map(\.id), suite: loaded.suite, database: databasePath)
        if resume != nil, !FileManager.default.fileExists(atPath: databasePath) {
            printError("error: no results database at '\(databasePath)' to resume a run from; name the one the run "
                       + "was recorded in with --db")
            throw ExitCode.badInput
        }
        try checkWritable(file: databasePath, flag: "--db", example: "\(loaded.suite.name).sqlite")
        try output.checkOutputs(files: !noReport)
        // Before the first call, as a missing report folder is: nothing is spent on a PDF that cannot be printed.
        let printer = try printing.printer()
        for warning in PriceCheck.warnings(for: models + judges, in: loaded.catalog) { printError(warning.description) }
        for warning in loader.judgeWarnings(for: loaded.suite, candidates: models) { printError(warning.description) }

        let store: ResultStore
        do { store = try ResultStore(path: databasePath) } catch {
            printError("error: \(error)")
            throw ExitCode.incomplete
        }

        if let resume { plan = try keepingSlice(of: resume, plan: plan, suite: loaded.suite, store: store) }
        let resuming: Resumption?
        do {
            resuming = try resume.map { try Resumption.find($0, for: plan, in: store, retryingErrors: retryErrors) }
        } catch let error as ResumeError {
            printError("error: \(error)")
            throw ExitCode.badInput
        } catch let error as RunBusyError {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        if let resuming, resuming.isFinished {
            // Nothing is left to make: the run, its costs and its reports stay as they are.
            let tally = resuming.tally.total
            var line = "nothing to resume: run \(resuming.runID) is \(resuming.status.rawValue), all \(tally.calls) calls are "
                + "recorded (\(tally.answered) answered, \(tally.failed) failed); nothing changed"
            if tally.failed > 0 { line += "; --retry-errors makes the failed calls again" }
            print(line)
            if resuming.status != .completed { throw ExitCode.incomplete }
            return
        }
        let client = try HTTPClient()
        let abandoned = Mutex(false)
        // After a second Ctrl-C the calls in flight are abandoned: don't wait for them to end.
        defer { if !abandoned.withLock({ $0 }) { client.shutdown() } }
        let budgetMicros = budgetUsd.map { Money.micros(dollars: $0, rounding: .down) }
        let runner = try Runner(plan: plan, store: store, client: client, retryPolicy: connection.retryPolicy,
                                caBundle: try connection.validatedCABundle(), budgetMicros: budgetMicros,
                                cache: cacheMode, resuming: resuming, progress: quiet ? nil : Progress.standardError(),
                                batch: BatchSettings(maxRequests: batchMaxRequests, pollSeconds: batchPollSeconds,
                                                     wait: !noWait, fallback: batchFallback))
        let interrupt = BatchInterrupt()
        let batching = models.contains { $0.batch }
        let stops = StopSignalHandler { action in
            switch action {
            case .finishInFlight(let message, let grace):
                interrupt.first(byCtrlC: grace == nil)
                printError(message)
                if batching && grace == nil {
                    printError("the provider batches go on and a resume collects them; Ctrl-C again cancels them at the provider")
                }
                runner.cancel()
            case .abandon(let message):
                interrupt.second()
                printError(message)
                abandoned.withLock { $0 = true }
                runner.abort()
            case .quit(let status):
                Foundation.exit(status)
            case .none:
                break
            }
        }
        defer { stops.remove() }

        if !quiet {
            let slice = (plan.shard.map { " (shard \($0))" } ?? "") + (plan.slice.map { " (a slice: \($0))" } ?? "")
            printError("running '\(loaded.suite.name)'\(slice): \(plan.summary) → \(databasePath) (cache \(cacheMode.rawValue))")
        }
        let outcome: Runner.Outcome
        let context = try output.context(suite: plan.suite, modelIDs: models.map(\.id), slice: plan.slice)
        do { outcome = try runner.run(catalogPath: loaded.catalog.path, context: context, gitCommit: gitCommit) } catch let error as ResultsNotSavedError {
            printError("error: \(error)")
            printError("the run stopped, as interrupted: the calls recorded are kept and a resume makes the others; "
                       + "free some space, then resume with: "
                       + Self.resumeCommand(CommandLine.arguments, databasePath: databasePath, runID: error.runID))
            throw ExitCode.incomplete
        } catch let error as RunBusyError {
            printError("error: \(error)")
            throw ExitCode.badInput
        } catch {
            printError("error: \(error)")
            throw ExitCode.incomplete
        }
        stops.runEnded()

        let judging = loaded.suite.judgeModels.isEmpty ? "" : " (+ \(Money.format(micros: outcome.judgeCostMicros)) judging)"
        print("run \(outcome.runID) \(outcome.status.rawValue): \(outcome.answered) answered, \(outcome.failed) failed, "
              + "\(outcome.skipped) not started, \(Money.format(micros: outcome.costMicros)) spent\(judging); results in \(databasePath)")
        // Every cause, as the report's banner names them: one would hide the others.
        if let why = StopReason.sentence(outcome.stopReasons) { print("why it stopped early: \(why)") }
        if outcome.batched > 0 {
            print("\(outcome.batched) calls answered through provider batches at batch prices (\(outcome.batchRetried) of "
                  + "them sent again after their requests expired or failed); their latency is not measured")
        }
        if outcome.batchFallback > 0 {
            print("\(outcome.batchFallback) requests that expired or failed in their batch were sent again as ordinary "
                  + "calls, at the usual price (--batch-fallback)")
        }
        if outcome.pendingInBatches > 0 && noWait {
            print("\(outcome.pendingInBatches) calls are in provider batches; collect them with: "
                  + Self.resumeCommand(CommandLine.arguments, databasePath: databasePath, runID: outcome.runID))
            return
        }
        if outcome.pendingInBatches > 0 {
            // Cancelled while waiting: the batches go on at the provider; the resume below collects them.
            printError("\(outcome.pendingInBatches) calls are in provider batches, left for the resume to collect")
            if interrupt.byCtrlC && !interrupt.twice {
                printError("(Ctrl-C again within \(BatchInterrupt.windowSeconds)s cancels them at the provider)")
            }
        }
        // Ctrl-C twice: the batches are cancelled, whether the run had left them yet or not.
        if batching && (outcome.pendingInBatches > 0 ? interrupt.cameTwice() : interrupt.twice) {
            try Batch.Cancel.cancelBatches(ofRun: outcome.runID, store: store, models: models,
                                           caBundle: try connection.validatedCABundle())
        }
        if outcome.replayed > 0 {
            print("\(outcome.replayed) answers replayed from the cache (nothing spent on them; --cache write makes every call)")
        }
        if quiet {
            for (model, reason) in outcome.stoppedModels.sorted(by: { $0.key < $1.key }) {
                printError("stopped \(model): \(reason); its remaining cases were not run")
            }
        }
        if outcome.stoppedByBudget, let budgetMicros {
            printError("stopped by the budget: \(outcome.skipped) calls were not started, so that the spend stays within "
                       + "\(Money.format(micros: budgetMicros)) even if every call in flight had used all its max_tokens; "
                       + "raise --budget-usd to run them")
        }
        if outcome.graderErrors > 0 {
            printError("\(outcome.graderErrors) grader errors (a grader could not grade an answer); see the Grading section "
                       + "of the report or the grader_errors column")
        }
        let reported = try output.report(store: store, runID: outcome.runID, suite: loaded.suite, files: !noReport)
        for path in reported.paths + (try PDFOptions.printPDF(of: reported.paths, with: printer)) { print("report: \(path)") }
        if outcome.status == .interrupted {
            printError("resume with: " + Self.resumeCommand(CommandLine.arguments, databasePath: databasePath,
                                                             runID: outcome.runID))
        }
        if outcome.status != .completed {
            if outcome.failed > 0 {
                printError("\(outcome.failed) calls failed; see the Errors section of the report or the error_class column")
            }
            throw ExitCode.incomplete
        }
        if reported.checksFailed { throw ExitCode.gateFailed }
    }

    /// `plan` with the quick slice of the run `selector` names, which a resume keeps: the flags may
    /// repeat it or leave it out, but not ask for another.
    private func keepingSlice(of selector: String, plan: RunPlan, suite: Suite, store: ResultStore) throws -> RunPlan {
        let run = selector == "latest" ? try store.latestRun(ofSuite: suite.name)
            : try Int64(selector).flatMap { try store.run($0) }
        // A run not found, or of another suite, is Resumption's to report.
        guard let run, let runID = run.id, run.suite == suite.name, let context = run.context else { return plan }
        let given = selection.slice
        if given == nil, let slice = context.slice {
            return RunPlan(suite: suite, models: plan.models, shard: plan.shard, slice: slice)
        }
        guard given == context.slice else {
            let made = context.slice.map { "the slice \($0.flags)" } ?? "the whole suite"
            printError("error: run \(runID) was made with \(made), not \(given?.flags ?? "the whole suite"); a resume "
                       + "keeps its run's slice: give the same flags or none")
            throw ExitCode.badInput
        }
        return plan
    }

    /// The command that resumes run `runID`: the command line as given — every flag that shapes
    /// the run or its reports (`--models`, `--only-models`, `--out`, `--name`, `--cache`,
    /// `--budget-usd`, ...) — with `--resume ID` instead of any `--resume` or `--retry-errors`,
    /// and `--db` spelled out. Arguments are quoted for a POSIX shell where needed.
    static func resumeCommand(_ arguments: [String], databasePath: String, runID: Int64) -> String {
        var kept: [String] = []
        var given = arguments.dropFirst().drop { $0 != "run" }.dropFirst().makeIterator()
        var hasDatabase = false
        while let argument = given.next() {
            switch argument {
            case "--resume": _ = given.next()
            case "--retry-errors", "--no-wait": break
            default:
                if argument.hasPrefix("--resume=") { continue }
                if argument == "--db" || argument.hasPrefix("--db=") { hasDatabase = true }
                kept.append(argument)
            }
        }
        var added = ["--resume", String(runID)]
        if !hasDatabase { added = ["--db", databasePath] + added }
        // Before a `--`, after which everything is an argument.
        kept.insert(contentsOf: added, at: kept.firstIndex(of: "--") ?? kept.endIndex)
        return (["tradeoff", "run"] + kept).map(shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ text: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+")
        if !text.isEmpty && text.allSatisfy(plain.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `--cache`, `--no-cache`, else the default for where it runs.
    private var cacheMode: CacheMode {
        if noCache { return .off }
        return cache ?? .default(environment: ProcessInfo.processInfo.environment, nightly: connection.nightly)
    }

    func validate() throws {
        if noCache, let cache, cache != .off {
            throw ValidationError("--no-cache and --cache \(cache.rawValue) contradict each other; give one")
        }
        if let budgetUsd, budgetUsd < 0 { throw ValidationError("--budget-usd must be 0 or more, got \(budgetUsd)") }
        if noWait && !batch && resume == nil {
            throw ValidationError("--no-wait goes with --batch (it leaves the batches for --resume to collect)")
        }
        if batchFallback && !batch && resume == nil {
            throw ValidationError("--batch-fallback goes with --batch (it retries failed batch requests as ordinary calls)")
        }
        if batchPollSeconds < 0 || !batchPollSeconds.isFinite {
            throw ValidationError("--batch-poll-seconds must be 0 or more, got \(batchPollSeconds)")
        }
        if let batchMaxRequests, batchMaxRequests < 1 {
            throw ValidationError("--batch-max-requests must be at least 1, got \(batchMaxRequests)")
        }
        if printing.pdf && noReport {
            throw ValidationError("--pdf prints the report's page, and --no-report writes none; give one of them")
        }
        if retryErrors && resume == nil { throw ValidationError("--retry-errors goes with --resume (it re-makes a run's failed calls)") }
    }
}

extension CacheMode: ExpressibleByArgument {}
