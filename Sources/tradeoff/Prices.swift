import ArgumentParser
import Foundation
import TradeoffKit

struct Prices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Show the prices runs use, and import prices from LiteLLM or OpenRouter.",
        discussion: """
            Prices are USD per million tokens, dated (as_of) and sourced. Tradeoff ships a price \
            catalog; a model catalog can add its own price file with 'prices: FILE', which \
            'tradeoff prices import' keeps up to date.

            Examples:
              tradeoff prices show openai/gpt-4o
              tradeoff prices import litellm model_prices_and_context_window.json
            """,
        subcommands: [Show.self, Import.self]
    )
}

extension Prices {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show prices and where they come from.",
            discussion: """
                Without --models: the price catalog (the shipped one, with --prices FILE on top); \
                with an ID, that entry in full. With --models CATALOG: the price each model of the \
                catalog would run with, where it comes from and what the catalog overrides; with an \
                ID, that model only. With --format json, stdout is one JSON document (prices in USD as \
                written, as strings).

                Examples:
                  tradeoff prices show
                  tradeoff prices show openai/gpt-4o
                  tradeoff prices show --models suites/demo.models.yaml --format json
                """
        )

        @Argument(help: "A price id (openai/gpt-4o), or with --models a model id.")
        var id: String?

        @Option(name: .customLong("models"), help: "A model catalog: show the prices its models use.",
                completion: .file(extensions: ["yaml", "yml"]))
        var catalog: String?

        @Option(help: "A price file to read on top of the shipped catalog.", completion: .file(extensions: ["yaml", "yml"]))
        var prices: String?

        @OptionGroup var output: FormatOption

        func run() throws {
            let today = CalendarDay.today
            if let catalogPath = catalog {
                let loaded: Catalog
                do { loaded = try SuiteLoader().loadCatalog(path: catalogPath) } catch let error as DiagnosticsError {
                    printError(error.description)
                    throw ExitCode.badInput
                }
                let book = try priceBook(extra: prices ?? loaded.priceFile)
                var models = loaded.models
                if let id {
                    guard let model = loaded.model(id) else {
                        var message = "error: no model '\(id)' in \(catalogPath)"
                        if let match = Suggestions.closest(to: id, among: loaded.models.map(\.id)) {
                            message += " (did you mean '\(match)'?)"
                        }
                        printError(message + "; it has: \(loaded.models.map(\.id).joined(separator: ", "))")
                        throw ExitCode.badInput
                    }
                    models = [model]
                }
                if output.isJSON {
                    print(CommandOutput.modelPrices(models, book: book, maxAgeDays: loaded.maxPriceAgeDays, today: today),
                          terminator: "")
                    return
                }
                print(models.map { describe($0, book: book, maxAgeDays: loaded.maxPriceAgeDays, today: today) }
                    .joined(separator: "\n\n"))
                return
            }
            let book = try priceBook(extra: prices)
            guard let id else {
                if output.isJSON {
                    print(CommandOutput.prices(book.entries, maxAgeDays: PriceCheck.defaultMaxAgeDays, today: today),
                          terminator: "")
                    return
                }
                print(table(book, today: today))
                return
            }
            guard let entry = book[id] else {
                var message = "error: no price '\(id)'"
                if let match = Suggestions.closest(to: id, among: book.ids) { message += " (did you mean '\(match)'?)" }
                printError(message + "; `tradeoff prices show` lists them all")
                throw ExitCode.badInput
            }
            if output.isJSON {
                print(CommandOutput.prices([entry], maxAgeDays: PriceCheck.defaultMaxAgeDays, today: today), terminator: "")
                return
            }
            print("\(entry.id) (\(entry.origin))")
            print(fields(entry.pricing, maxAgeDays: PriceCheck.defaultMaxAgeDays, today: today))
        }

        /// The shipped catalog with `extra` laid over it.
        private func priceBook(extra: String?) throws -> PriceBook {
            var book: PriceBook
            do {
                book = try ShippedPrices.book()
                if let extra { book = book.overlaid(with: try PriceFile.load(path: extra)) }
            } catch let error as DiagnosticsError {
                printError(error.description)
                throw ExitCode.badInput
            }
            return book
        }

        private func table(_ book: PriceBook, today: CalendarDay) -> String {
            var rows = [["price id", "input", "cached", "output", "also", "as of", "from"]]
            for entry in book.entries {
                let origin: String
                switch entry.origin {
                case .shipped: origin = "shipped"
                case .file(let path): origin = path
                }
                let asOf = entry.pricing.asOf?.description ?? "-"
                switch entry.pricing {
                case .tokens(let price):
                    var also: [String] = []
                    if price.cacheWritePerMillion != nil { also.append("cache write") }
                    if price.cacheWrite1hPerMillion != nil { also.append("cache write 1h") }
                    if price.perRequest != nil { also.append("per request") }
                    if price.batch != nil { also.append("batch") }
                    if !price.tiers.isEmpty { also.append("tiers") }
                    rows.append([entry.id, PriceText.usd(price.inputPerMillion),
                                 price.cachedInputPerMillion.map(PriceText.usd) ?? "-",
                                 PriceText.usd(price.outputPerMillion), also.joined(separator: ", "), asOf, origin])
                case .hourly(let price):
                    rows.append([entry.id, "-", "-", "-", "\(PriceText.usd(price.perHour))/hour × \(price.replicas)",
                                 asOf, origin])
                }
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            let rightAligned: Set<Int> = [1, 2, 3]
            let lines = rows.map { row in
                row.enumerated().map { column, cell in
                    let pad = String(repeating: " ", count: widths[column] - cell.count)
                    return rightAligned.contains(column) ? pad + cell : cell + pad
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            return (lines + ["", "USD per million tokens. `tradeoff prices show ID` shows one in full."])
                .joined(separator: "\n")
        }

        private func describe(_ model: ModelEntry, book: PriceBook, maxAgeDays: Int, today: CalendarDay) -> String {
            let place = model.location.map { " (\($0.file):\($0.line))" } ?? ""
            guard let pricing = model.pricing else {
                return "\(model.id)\(place): unpriced — its cost will be unknown (not $0); add 'price:' to its "
                    + "catalog entry"
            }
            var header = "\(model.id)\(place): "
            var overrides = ""
            if let id = pricing.id, let entry = book[id] {
                header += "price '\(id)' from \(entry.origin)"
                let base = Dictionary(PriceText.fields(of: entry.pricing).map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a })
                let own = PriceText.fields(of: pricing)
                let changed = own.filter { base[$0.label] != $0.value }.map { field in
                    "\(field.label) \(base[field.label].map { "(was \($0))" } ?? "(added)")"
                }
                let dropped = PriceText.fields(of: entry.pricing).map(\.label)
                    .filter { label in !own.contains { $0.label == label } }.map { "\($0) (removed)" }
                if !(changed + dropped).isEmpty {
                    overrides = "\n  " + "overridden".padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                        + (changed + dropped).joined(separator: ", ")
                }
            } else {
                header += "price written in the catalog"
            }
            return header + "\n" + fields(pricing, maxAgeDays: maxAgeDays, today: today) + overrides
        }

        private func fields(_ pricing: Pricing, maxAgeDays: Int, today: CalendarDay) -> String {
            var lines: [(String, String)] = PriceText.fields(of: pricing).map { field in
                let unit = field.label.hasPrefix("above") ? " per M tokens"
                    : ["per request", "replicas", "utilization", "per hour"].contains(field.label) ? "" : " per M tokens"
                return (field.label, field.value + unit)
            }
            if let asOf = pricing.asOf {
                let age = asOf.days(until: today)
                var text = "\(asOf) (\(age) day\(age == 1 ? "" : "s") ago"
                if age > maxAgeDays { text += ": older than \(maxAgeDays) days, check it" }
                lines.append(("as of", text + ")"))
            } else {
                lines.append(("as of", "not dated"))
            }
            lines.append(("source", pricing.source ?? "not given"))
            return lines.map { "  " + $0.0.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + $0.1 }
                .joined(separator: "\n")
        }
    }
}

extension Prices {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import prices from LiteLLM's JSON or OpenRouter's model list into a price file.",
            discussion: """
                FORMAT is 'litellm' (model_prices_and_context_window.json) or 'openrouter' (the JSON \
                of https://openrouter.ai/api/v1/models). Only names in the name map are imported — \
                the shipped map plus --map FILE (litellm: {PRICE_ID: NAME}, openrouter: {PRICE_ID: \
                NAME}); names are never matched fuzzily. Prices are read as decimals. The price file \
                keeps its other entries; it reports what was added, changed (old → new) and left out.

                Examples:
                  tradeoff prices import litellm model_prices_and_context_window.json
                  tradeoff prices import openrouter models.json --into prices.yaml
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case litellm, openrouter

            var listFormat: PriceListFormat {
                switch self {
                case .litellm: .litellm
                case .openrouter: .openrouter
                }
            }
        }

        @Argument(help: "litellm or openrouter.")
        var format: Format

        @Argument(help: "The price list (JSON).", completion: .file(extensions: ["json"]))
        var file: String

        @Option(help: "The price file to update (created if missing).", completion: .file(extensions: ["yaml", "yml"]))
        var into: String = "prices.yaml"

        @Option(help: "A name map adding to the shipped one.", completion: .file(extensions: ["yaml", "yml"]))
        var map: String?

        @Option(help: "The date the list was fetched, YYYY-MM-DD (default: today).")
        var asOf: String?

        func run() throws {
            var day = CalendarDay.today
            if let asOf {
                guard let parsed = CalendarDay(asOf) else {
                    printError("error: --as-of must be a date written YYYY-MM-DD, got '\(asOf)'")
                    throw ExitCode.badInput
                }
                day = parsed
            }
            let result: PriceImport
            var target = PriceBook()
            do {
                var names = try ShippedPrices.nameMap()
                if let map { names = names.overlaid(with: try PriceNameMap.load(path: map)) }
                if FileManager.default.fileExists(atPath: into) { target = try PriceFile.load(path: into) }
                let shipped = (try? ShippedPrices.book()) ?? PriceBook()
                result = try PriceImport.read(format.listFormat, path: file, names: names,
                                              current: shipped.overlaid(with: target), asOf: day)
            } catch let error as DiagnosticsError {
                printError(error.description)
                throw ExitCode.badInput
            }
            let source = format.listFormat.displayName
            guard !result.imported.isEmpty else {
                printError("error: no prices imported: none of the \(result.leftOut.count) names the map gives for "
                           + "\(source) is in \(file)\(result.leftOut.isEmpty ? "" : " (is it a \(source) file?)")"
                           + "; \(into) is unchanged")
                throw ExitCode.badInput
            }
            for entry in result.imported.entries {
                target.set(PriceBook.Entry(id: entry.id, pricing: entry.pricing, origin: .file(into)))
            }
            // Keep the file's own opening comment; a new file gets one saying what it is.
            var header = (try? String(contentsOfFile: into, encoding: .utf8)).map(PriceFile.leadingComment) ?? []
            if header.isEmpty {
                header = [
                    "Prices for Tradeoff: USD per million tokens (per_request: USD per request), each dated (as_of)",
                    "and sourced. Written by `tradeoff prices import`, which keeps this opening comment and the",
                    "entries you add by hand (other comments are not kept). A model catalog reads this file when",
                    "it says 'prices: \((into as NSString).lastPathComponent)'.",
                ]
            }
            let text = PriceFile.yaml(target, header: header)
            do {
                let folder = (into as NSString).deletingLastPathComponent
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try text.write(toFile: into, atomically: true, encoding: .utf8)
            } catch {
                printError("error: cannot write \(into): \(error.localizedDescription)")
                throw ExitCode.incomplete
            }
            print(report(result, source: source))
        }

        private func report(_ result: PriceImport, source: String) -> String {
            var lines = ["\(into): \(result.imported.entries.count) prices imported from \(source) file \(file), "
                         + "as of \(result.imported.entries.first?.pricing.asOf?.description ?? "?")"]
            lines.append("added \(result.added.count)\(result.added.isEmpty ? "" : ":")")
            for entry in result.added { lines.append("  \(entry.id): \(PriceText.summary(of: entry.pricing))") }
            lines.append("changed \(result.changed.count)\(result.changed.isEmpty ? "" : ":")")
            for change in result.changed {
                let differences = change.differences.map { "\($0.label) \($0.old) → \($0.new)" }
                lines.append("  \(change.id): \(differences.joined(separator: ", "))")
            }
            lines.append("unchanged \(result.unchanged.count)\(result.unchanged.isEmpty ? "" : " (only their date is refreshed)")")
            lines.append("left out \(result.leftOut.count)\(result.leftOut.isEmpty ? "" : ":")")
            for item in result.leftOut { lines.append("  \(item.id) ('\(item.name)'): \(item.reason)") }
            if !result.notes.isEmpty {
                lines.append("notes:")
                lines += result.notes.map { "  " + $0 }
            }
            if result.unmappedCount > 0 {
                lines.append("\(PriceText.grouped(result.unmappedCount)) other entries of \(file) are not in the name map; to import one, "
                             + "list it in a map file (\(format.rawValue): {HOST/MODEL: NAME}) and pass --map FILE")
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension Prices {
    /// `tradeoff report --reprice`: writes the reports of run `runID` costed at today's prices —
    /// its catalog loaded now — from a copy of the database, and says what changed on stderr.
    ///
    /// - Returns: The paths written.
    static func writeRepricedReports(store: ResultStore, runID: Int64, output: ReportOptions) throws -> [String] {
        guard let run = try store.run(runID) else { throw ExitCode.badInput }
        let catalog: Catalog
        do { catalog = try SuiteLoader().loadCatalog(path: run.catalogPath) } catch let error as DiagnosticsError {
            printError("error: cannot reprice run \(runID): its catalog '\(run.catalogPath)' does not load now "
                       + "(run `tradeoff report` from the folder the run was started in):\n\(error.description)")
            throw ExitCode.badInput
        }
        return try store.withRepricedCopy(ofRun: runID, catalog: catalog) { copy, repricing in
            printError("run \(runID) costed at today's prices from \(run.catalogPath) (no calls made; the stored run is "
                       + "unchanged):")
            for change in repricing.changes {
                let before = change.before.map { Money.format(micros: $0) } ?? "unknown"
                let after = change.after.map { Money.format(micros: $0) } ?? "unknown"
                var line = "  \(change.modelID): \(before) → \(after)"
                if change.missingFromCatalog {
                    line += " (no longer in the catalog: its recorded prices were kept)"
                } else if change.pricesBefore != change.pricesAfter {
                    line += " (prices: \(change.pricesBefore) → \(change.pricesAfter))"
                } else {
                    line += " (same prices)"
                }
                printError(line)
            }
            var options = output
            if options.name == nil { options.name = run.suite + ".repriced" }
            return try options.write(store: copy, runID: runID)
        }
    }
}
