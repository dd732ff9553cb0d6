import Foundation

/// The JSON documents commands print with `--format json`, for a CI step to pipe into `jq`.
///
/// Each is one object on one line: `schema_version`, `command`, then the command's fields; keys
/// are snake_case and sorted, money is in integer micro-dollars (`*_micros`, null when unknown),
/// a missing position or value is null rather than absent, so the shape does not change with the
/// data. Nothing else goes to stdout with `--format json`.
public enum CommandOutput {
    /// The version of every command document's shape; bumped when a field changes meaning or
    /// type or goes away (new fields do not bump it).
    public static let schemaVersion = 1

    /// `validate`: per file, whether it is valid and its diagnostics.
    ///
    /// - Parameter files: each file as named, with what validating it found.
    /// - Returns: The document, ending with a newline.
    public static func validation(_ files: [(file: String, diagnostics: [Diagnostic])]) -> String {
        let entries: [JSONValue] = files.map { file, diagnostics in
            let errors = diagnostics.filter { $0.severity == .error }.count
            return .object([
                "file": .string(file),
                "ok": .bool(errors == 0),
                "errors": .integer(errors),
                "warnings": .integer(diagnostics.count - errors),
                "diagnostics": .array(diagnostics.map(diagnostic)),
            ])
        }
        let ok = entries.allSatisfy { if case .object(let members) = $0 { members["ok"] == .bool(true) } else { false } }
        return document("validate", ["ok": .bool(ok), "files": .array(entries)])
    }

    /// A diagnostic as an object: `file`, `line`, `column` (null when unknown), `severity`,
    /// `message` and the `source_line` it is on (null when none).
    static func diagnostic(_ diagnostic: Diagnostic) -> JSONValue {
        .object([
            "file": .string(diagnostic.file),
            "line": diagnostic.line.map(JSONValue.integer) ?? .null,
            "column": diagnostic.column.map(JSONValue.integer) ?? .null,
            "severity": .string(diagnostic.severity.rawValue),
            "message": .string(diagnostic.message),
            "source_line": diagnostic.sourceLine.map(JSONValue.string) ?? .null,
        ])
    }

    /// `plan`: the estimate per model and judge, the total, and what the portfolio of the
    /// suite's latest run would cost (`portfolio`, see ``portfolio(_:)``).
    ///
    /// - Parameters:
    ///   - suite: The suite's name.
    ///   - plan: What will run.
    ///   - estimate: Its estimate.
    ///   - forecast: The portfolio line's data.
    /// - Returns: The document, ending with a newline.
    public static func plan(suite: String, _ plan: RunPlan, _ estimate: RunEstimate, forecast: PortfolioForecast) -> String {
        func entry(_ model: RunEstimate.Model, judge: Bool) -> JSONValue {
            .object([
                "id": .string(model.modelID),
                "judge": .bool(judge),
                "calls": .integer(model.calls),
                "input_tokens": .integer(model.inputTokens),
                "output_tokens": .integer(model.outputTokens),
                "output_from": .string(model.outputSource.rawValue),
                "cost_micros": micros(model.costMicros),
                // What `run --batch` would pay: null where it runs the model as usual, or it is unpriced.
                "batch_cost_micros": micros(judge ? nil : model.batchCostMicros),
                "hourly_throughput": model.hourlyBasis.map { basis in
                    .object([
                        "source": .string(basis.runID == nil ? "stated" : "observed"),
                        "run_id": basis.runID.map { .integer(Int($0)) } ?? .null,
                        "unit": .string(basis.throughput.unit.rawValue),
                        "per_second": .string("\(basis.throughput.perSecond)"),
                        "concurrency": basis.throughput.concurrency.map { .string("\($0)") } ?? .null,
                    ])
                } ?? .null,
            ])
        }
        let all = estimate.models + estimate.judges
        return document("plan", [
            "suite": .string(suite),
            "shard": plan.shard.map { .string("\($0)") } ?? .null,
            // The quick slice planned (`--only-tasks`, `--limit`, `--sample`), in words; null for none.
            "slice": plan.slice.map { .string($0.description) } ?? .null,
            "summary": .string(plan.summary),
            "models": .array(estimate.models.map { entry($0, judge: false) } + estimate.judges.map { entry($0, judge: true) }),
            "total": .object([
                "calls": .integer(all.reduce(0) { $0 + $1.calls }),
                "input_tokens": .integer(all.reduce(0) { $0 + $1.inputTokens }),
                "output_tokens": .integer(all.reduce(0) { $0 + $1.outputTokens }),
                "cost_micros": micros(estimate.totalCostMicros),
                "batch_cost_micros": micros(estimate.totalBatchCostMicros),
            ]),
            "unpriced": .array(all.filter { $0.costMicros == nil }.map { .string($0.modelID) }),
            "portfolio": portfolio(forecast),
        ])
    }

    /// `models check`: per model, whether it answered, how, and why not.
    ///
    /// - Parameters:
    ///   - models: The models checked, in catalog order.
    ///   - results: Their results, in the same order.
    /// - Returns: The document, ending with a newline.
    public static func modelCheck(_ models: [ModelEntry], _ results: [ModelCheck.Result]) -> String {
        let entries: [JSONValue] = zip(models, results).map { model, result in
            .object([
                "id": .string(model.id),
                "provider": .string(model.provider.rawValue),
                "preset": model.preset.map { .string($0.rawValue) } ?? .null,
                "ok": .bool(result.ok),
                "error_kind": result.error.map { .string($0.kind.rawValue) } ?? .null,
                "error_message": result.error.map { .string($0.message) } ?? .null,
                "http_status": (result.error?.httpStatus ?? (result.ok ? 200 : nil)).map(JSONValue.integer) ?? .null,
                "latency_ms": number(result.latencyMs),
                "usage": result.usageReported.map { .string($0 ? "reported" : "estimated") } ?? .null,
                "served_model": result.servedModel.map(JSONValue.string) ?? .null,
                "structured_output": .string(model.resolvedStructuredOutput.rawValue),
            ])
        }
        return document("models check", ["ok": .bool(results.allSatisfy(\.ok)), "models": .array(entries)])
    }

    /// `history`: one model's results, run by run, oldest first.
    ///
    /// - Parameter history: The model's history.
    /// - Returns: The document, ending with a newline.
    public static func history(_ history: ModelHistory) -> String {
        let runs: [JSONValue] = history.entries.map { entry in
            let model = entry.summary
            return .object([
                "run_id": .integer(Int(entry.runID)),
                "started_at": .string(Formatting.timestamp(entry.startedAt)),
                "status": .string(entry.status.rawValue),
                "suite_hash": .string(entry.suiteHash),
                "cases": .integer(model.cases),
                "calls": .integer(model.calls),
                "errors": .integer(model.errors),
                "quality": estimate(model.quality, model.qualityInterval),
                "pass_rate": number(model.passRate),
                "priced": .bool(model.priced),
                "cost_per_case_micros": micros(model.priced ? model.costPerCaseMicros : nil),
                "p95_latency_ms": number(model.latency?.p95),
            ])
        }
        return document("history", ["model_id": .string(history.modelID), "runs": .array(runs)])
    }

    /// `compare`: per model and per model × task, current against baseline, and the checks.
    ///
    /// - Parameters:
    ///   - comparison: The two runs compared.
    ///   - baselineLabel: How the baseline was named on the command line, resolved.
    ///   - currentLabel: The same for the current run.
    ///   - checks: The gates on the current run and whether a regression fails.
    /// - Returns: The document, ending with a newline.
    public static func comparison(_ comparison: RunComparison, baselineLabel: String, currentLabel: String,
                                  checks: Checks) -> String {
        func run(_ summary: RunSummary, _ label: String) -> JSONValue {
            .object(["run_id": summary.run.id.map { .integer(Int($0)) } ?? .null, "label": .string(label),
                     "suite": .string(summary.run.suite), "suite_hash": .string(summary.run.suiteHash),
                     "started_at": .string(Formatting.timestamp(summary.run.startedAt))])
        }
        func cases(_ refs: [RunComparison.CaseRef]) -> JSONValue {
            .array(refs.map { .object(["task_id": .string($0.taskID), "case_id": .string($0.caseID)]) })
        }
        let models: [JSONValue] = comparison.models.map { change in
            let paired = change.comparison
            return .object([
                "id": .string(change.modelID),
                "shared_cases": .integer(paired.cases),
                "baseline_quality": number(paired.referenceQuality),
                "current_quality": number(paired.quality),
                "quality_difference": estimate(paired.difference, paired.differenceInterval),
                "pass_to_fail": cases(change.passToFail),
                "fail_to_pass": cases(change.failToPass),
                "adjusted_p_value": number(paired.adjustedPValue),
                "regression": .bool(change.isRegression),
                "baseline_cost_per_case_micros": micros(change.baselineCostPerCaseMicros),
                "current_cost_per_case_micros": micros(change.currentCostPerCaseMicros),
                "baseline_p95_latency_ms": number(change.baselineP95LatencyMs),
                "current_p95_latency_ms": number(change.currentP95LatencyMs),
            ])
        }
        let tasks: [JSONValue] = comparison.tasks.map { change in
            .object([
                "model_id": .string(change.modelID),
                "task_id": .string(change.taskID),
                "quality_difference": estimate(change.comparison.difference, change.comparison.differenceInterval),
                "adjusted_p_value": number(change.comparison.adjustedPValue),
                "regression": .bool(change.isRegression),
            ])
        }
        let gates: [JSONValue] = checks.gateResults.map { result in
            .object(["gate": .string(result.gate.text), "model_id": result.modelID.map(JSONValue.string) ?? .null,
                     "passed": .bool(result.passed), "value": number(result.value),
                     "line": .string(GateText.line(result))])
        }
        return document("compare", [
            "baseline": run(comparison.baseline, baselineLabel),
            "current": run(comparison.current, currentLabel),
            "suite_changed": .bool(comparison.suiteChanged),
            "shared_cases": .integer(comparison.sharedCases),
            "only_in_baseline": .array(comparison.onlyInBaseline.map(JSONValue.string)),
            "only_in_current": .array(comparison.onlyInCurrent.map(JSONValue.string)),
            "models": .array(models),
            "tasks": .array(tasks),
            "gates": .array(gates),
            "fail_on_regression": .bool(checks.failOnRegression),
            "failed": .bool(checks.failed),
        ])
    }

    /// `prices show`: price catalog entries, each with its billed fields (as the text prints them:
    /// per million tokens, per request or per hour), its date and where it comes from.
    ///
    /// - Parameters:
    ///   - entries: The entries shown, in id order.
    ///   - maxAgeDays: Older than this many days is `stale`.
    ///   - today: The day ages are counted to.
    /// - Returns: The document, ending with a newline.
    public static func prices(_ entries: [PriceBook.Entry], maxAgeDays: Int, today: CalendarDay) -> String {
        document("prices show", ["prices": .array(entries.map { entry in
            var members = pricing(entry.pricing, maxAgeDays: maxAgeDays, today: today)
            members["id"] = .string(entry.id)
            members["origin"] = origin(entry.origin)
            return .object(members)
        })])
    }

    /// `prices show --models`: the price each model runs with, the catalog entry it comes from
    /// (null when written in the model catalog) and the fields the model overrides.
    ///
    /// - Parameters:
    ///   - models: The models shown, in catalog order.
    ///   - book: The price catalog.
    ///   - maxAgeDays: Older than this many days is `stale`.
    ///   - today: The day ages are counted to.
    /// - Returns: The document, ending with a newline.
    public static func modelPrices(_ models: [ModelEntry], book: PriceBook, maxAgeDays: Int, today: CalendarDay) -> String {
        document("prices show", ["models": .array(models.map { model in
            guard let pricing = model.pricing else {
                return .object(["id": .string(model.id), "priced": .bool(false), "price": .null, "price_id": .null,
                                "origin": .null, "overridden": .array([])])
            }
            var overridden: [JSONValue] = []
            var origin: JSONValue = .null
            if let id = pricing.id, let entry = book[id] {
                origin = Self.origin(entry.origin)
                let base = PriceText.fields(of: entry.pricing)
                let own = PriceText.fields(of: pricing)
                let labels = base.map(\.label) + own.map(\.label).filter { label in !base.contains { $0.label == label } }
                for label in labels where base.first(where: { $0.label == label })?.value
                    != own.first(where: { $0.label == label })?.value {
                    overridden.append(.string(label))
                }
            }
            return .object(["id": .string(model.id), "priced": .bool(true),
                            "price": .object(Self.pricing(pricing, maxAgeDays: maxAgeDays, today: today)),
                            "price_id": pricing.id.map(JSONValue.string) ?? .null, "origin": origin,
                            "overridden": .array(overridden)])
        })])
    }

    /// A price's fields: `kind` (tokens or hourly), `fields` as name and value as `prices show`
    /// prints them, `as_of`, `age_days`, `stale` and `source`.
    private static func pricing(_ pricing: Pricing, maxAgeDays: Int, today: CalendarDay) -> [String: JSONValue] {
        let age = pricing.asOf.map { $0.days(until: today) }
        return [
            "kind": .string(pricing.tokens != nil ? "tokens" : "hourly"),
            "fields": .array(PriceText.fields(of: pricing).map { .object(["name": .string($0.label), "value": .string($0.value)]) }),
            "as_of": pricing.asOf.map { .string($0.description) } ?? .null,
            "age_days": age.map(JSONValue.integer) ?? .null,
            "stale": .bool(age.map { $0 > maxAgeDays } ?? false),
            "source": pricing.source.map(JSONValue.string) ?? .null,
        ]
    }

    /// `shipped`, or the price file's path.
    private static func origin(_ origin: PriceBook.Origin) -> JSONValue {
        switch origin {
        case .shipped: .string("shipped")
        case .file(let path): .string(path)
        }
    }

    /// A value with its 95% interval: `{"value", "lower", "upper"}`, each null when unknown.
    static func estimate(_ value: Double?, _ interval: Interval?) -> JSONValue {
        .object(["value": number(value), "lower": number(interval?.lower), "upper": number(interval?.upper)])
    }

    /// A finite number, or null.
    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// Micro-dollars, or null when unknown.
    static func micros(_ value: Int64?) -> JSONValue {
        value.map { .integer(Int($0)) } ?? .null
    }

    /// `fields` with `schema_version` and `command`, as one line.
    static func document(_ command: String, _ fields: [String: JSONValue]) -> String {
        var members = fields
        members["schema_version"] = .integer(schemaVersion)
        members["command"] = .string(command)
        // The writer fails only on non-finite numbers, which these documents do not hold.
        let data = (try? JSONWriter.encode(members)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
