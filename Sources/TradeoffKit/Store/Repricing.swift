import Foundation

/// A stored run costed again with other prices — today's catalog — from the tokens and timings
/// it recorded, without calling any model.
///
/// Every cost becomes the computed one: a provider's reported charge (`reported_cost_micros`)
/// is what was paid then and stays where it is, but `cost_micros` is today's price.
public struct Repricing: Sendable {
    /// What changed for one model.
    public struct Change: Sendable, Hashable {
        /// The model's id in the run.
        public var modelID: String
        /// Total cost before and after, micro-dollars; nil when unpriced.
        public var before: Int64?
        public var after: Int64?
        /// `RunModelRecord.priceProvenance` before and after.
        public var pricesBefore: String
        public var pricesAfter: String
        /// The catalog no longer has the model: its recorded prices were kept.
        public var missingFromCatalog: Bool
    }

    /// The run's models with the new prices.
    public var models: [RunModelRecord]
    /// The run's calls, costed at the new prices.
    public var calls: [CallRecord]
    /// One change per model, in run order.
    public var changes: [Change]

    /// Costs `calls` again at the prices `catalog` gives each model today.
    ///
    /// A model the catalog no longer lists keeps its recorded prices (and is costed with them
    /// again); a model the catalog leaves unpriced gets unknown costs.
    public init(models: [RunModelRecord], calls: [CallRecord], catalog: Catalog) {
        var repricedModels: [RunModelRecord] = []
        var changes: [Change] = []
        var pricing: [String: Pricing?] = [:]
        var recorded: [String: Pricing?] = [:]
        for record in models {
            recorded[record.modelId] = record.pricing
            var updated = record
            let entry = catalog.model(record.modelId)
            if let entry {
                updated.setPricing(entry.pricing, inlineSource: entry.location.map { "\($0.file):\($0.line)" })
            }
            pricing[record.modelId] = updated.pricing
            repricedModels.append(updated)
            changes.append(Change(modelID: record.modelId, before: nil, after: nil,
                                  pricesBefore: record.priceProvenance, pricesAfter: updated.priceProvenance,
                                  missingFromCatalog: entry == nil))
        }
        var repricedCalls = calls
        let indicesByModel = Dictionary(grouping: calls.indices, by: { calls[$0].modelId })
        for (modelID, indices) in indicesByModel {
            switch pricing[modelID] ?? nil {
            case .tokens(let price):
                for index in indices {
                    // Each attempt as it was billed: priced and rounded apart, as the run did.
                    let usages = repricedCalls[index].billedUsages
                    let batch = repricedCalls[index].batched
                    let cost = usages.isEmpty ? nil : usages.reduce(Int64(0)) { $0 + price.costMicros(of: $1, batch: batch) }
                    repricedCalls[index].setComputedCost(cost)
                }
            case .hourly(let price):
                let made = indices.filter { !repricedCalls[$0].cacheHit }
                let basis = HourlyPricing.basis(for: price, calls: made.map { repricedCalls[$0].hourlyCall })
                if let position = repricedModels.firstIndex(where: { $0.modelId == modelID }) {
                    repricedModels[position].setHourlyBasis(basis)
                }
                for index in made {
                    repricedCalls[index].setComputedCost(
                        basis.flatMap { HourlyPricing.costMicros(of: repricedCalls[index].hourlyCall, price, at: $0.throughput) })
                }
                // A replayed answer took no serving time in this run: it keeps what it cost when
                // it was made, scaled by how much dearer a unit of work is now.
                let before = (recorded[modelID] ?? nil)?.hourly
                let beforeBasis = models.first { $0.modelId == modelID }?.hourlyBasis
                for index in indices where repricedCalls[index].cacheHit {
                    guard let before, let cost = repricedCalls[index].costMicros,
                          let ratio = Self.unitCostRatio(before, beforeBasis, price, basis) else {
                        repricedCalls[index].setComputedCost(nil)
                        continue
                    }
                    repricedCalls[index].setComputedCost(Money.micros(exactly: Decimal(cost) * ratio))
                }
            case nil:
                for index in indices { repricedCalls[index].setComputedCost(nil) }
            }
        }
        for index in changes.indices {
            let id = changes[index].modelID
            let priced = repricedModels[index].isPriced
            changes[index].before = models[index].isPriced ? Self.total(calls, of: id) : nil
            changes[index].after = priced ? Self.total(repricedCalls, of: id) : nil
        }
        self.models = repricedModels
        self.calls = repricedCalls
        self.changes = changes
    }

    /// How much dearer a unit of a deployment's work is at `after` than at `before`: the ratio of
    /// their costs per unit when both throughputs count the same unit, else of their hourly
    /// prices alone (the replay keeps the throughput it was made at); nil when `before` is free.
    private static func unitCostRatio(_ before: HourlyPrice, _ beforeBasis: HourlyPricing.Basis?,
                                      _ after: HourlyPrice, _ afterBasis: HourlyPricing.Basis?) -> Decimal? {
        if let old = beforeBasis?.throughput, let new = afterBasis?.throughput, old.unit == new.unit {
            let unitBefore = HourlyPricing.microsPerUnit(before, at: old)
            return unitBefore > 0 ? HourlyPricing.microsPerUnit(after, at: new) / unitBefore : nil
        }
        return before.effectivePerHour > 0 ? after.effectivePerHour / before.effectivePerHour : nil
    }

    private static func total(_ calls: [CallRecord], of modelID: String) -> Int64 {
        calls.reduce(0) { $0 + ($1.modelId == modelID ? $1.costMicros ?? 0 : 0) }
    }
}

extension CallRecord {
    /// The call as hourly pricing sees it: its answering attempt's timing and its output tokens.
    var hourlyCall: HourlyPricing.Call {
        let usages = billedUsages
        return HourlyPricing.Call(finishedAt: finishedAt, latencyMs: latencyMs, answered: output != nil,
                                  outputTokens: output == nil ? 0 : outputTokens ?? 0,
                                  billedOutputTokens: usages.reduce(0) { $0 + $1.outputTokens }, billed: !usages.isEmpty)
    }

    /// Sets the computed cost and makes it the cost used.
    mutating func setComputedCost(_ micros: Int64?) {
        computedCostMicros = micros
        costMicros = micros
        costSource = micros == nil ? nil : .computed
    }
}
