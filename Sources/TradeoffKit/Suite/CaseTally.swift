/// What a task's cases hold, gathered one case at a time, for the loader's placeholder check:
/// how many cases lack each placeholder (and the first that does), and every variable name.
struct CaseTally {
    /// A placeholder some cases have no variable for.
    struct Lacking {
        var count: Int
        /// The first case that lacks it, and where that case is.
        var caseID: String
        var file: String
        var line: Int
    }

    /// The names the task's templates use.
    let placeholders: Set<String>
    var cases = 0
    var names: Set<String> = []
    var lacking: [String: Lacking] = [:]

    init(placeholders: Set<String>) {
        self.placeholders = placeholders
    }

    mutating func add(_ testCase: TestCase, file: String, line: Int) {
        cases += 1
        names.formUnion(testCase.variables.keys)
        for name in placeholders where testCase.variables[name] == nil {
            lacking[name, default: Lacking(count: 0, caseID: testCase.id, file: file, line: line)].count += 1
        }
    }
}
