extension Bootstrap {
    /// The replicates of weighted means over strata, cases resampled within each stratum.
    ///
    /// `strata[s][c]` holds case c's values in stratum s, one per column (the same number of
    /// columns everywhere). Each replicate draws, stratum by stratum in order, n_s of its n_s
    /// cases with replacement (one `Xoshiro256` started at `seed`), and gives per column
    /// Σ_s weights[s] · mean of the column over the cases drawn. A stratum keeps its own size and
    /// weight, so a task of few cases moves the whole only by its share.
    ///
    /// - Parameters:
    ///   - strata: Per stratum, per case, the values of every column.
    ///   - weights: Each stratum's weight.
    /// - Returns: Per column, the replicates in drawing order (unsorted, so columns pair up);
    ///   empty when a stratum has no cases.
    public func stratified(_ strata: [[[Double]]], weights: [Double]) -> [[Double]] {
        precondition(strata.count == weights.count, "one weight per stratum")
        guard let columns = strata.first?.first?.count, strata.allSatisfy({ !$0.isEmpty }) else { return [] }
        var generator = Xoshiro256(seed: seed)
        var out = [[Double]](repeating: [Double](repeating: 0, count: replicates), count: columns)
        var sums = [Double](repeating: 0, count: columns)
        for replicate in 0..<replicates {
            var totals = [Double](repeating: 0, count: columns)
            for (stratum, cases) in strata.enumerated() {
                for column in 0..<columns { sums[column] = 0 }
                for _ in 0..<cases.count {
                    let values = cases[generator.index(below: cases.count)]
                    for column in 0..<columns { sums[column] += values[column] }
                }
                for column in 0..<columns { totals[column] += weights[stratum] * sums[column] / Double(cases.count) }
            }
            for column in 0..<columns { out[column][replicate] = totals[column] }
        }
        return out
    }
}
