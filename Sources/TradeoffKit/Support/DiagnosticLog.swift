/// Collects the diagnostics of one load, so every problem is reported in one pass.
struct DiagnosticLog: Sendable {
    private(set) var diagnostics: [Diagnostic] = []
    /// Files in the order they were opened: the suite first, then what it references.
    private var fileOrder: [String: Int] = [:]

    /// Whether any diagnostic is an error.
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Notes that `file` was opened, so its diagnostics sort after those of earlier files.
    mutating func register(file: String) {
        if fileOrder[file] == nil { fileOrder[file] = fileOrder.count }
    }

    mutating func add(_ diagnostic: Diagnostic) {
        register(file: diagnostic.file)
        diagnostics.append(diagnostic)
    }

    /// Every diagnostic once, by file (in opening order), then line and column.
    var sorted: [Diagnostic] {
        var seen: Set<Diagnostic> = []
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            let lFile = fileOrder[l.file] ?? .max, rFile = fileOrder[r.file] ?? .max
            if lFile != rFile { return lFile < rFile }
            if (l.line ?? 0) != (r.line ?? 0) { return (l.line ?? 0) < (r.line ?? 0) }
            if (l.column ?? 0) != (r.column ?? 0) { return (l.column ?? 0) < (r.column ?? 0) }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
