extension TemporaryDirectory {
    /// Writes `suite.yaml` (one task of `cases` arithmetic cases, graded by `contains`) and
    /// `models.yaml` (models `a` and `b`, 4 calls in flight each, on a fake provider at `port`):
    /// the run the end-to-end tests of stopping, resuming and owning a run start, stop and resume.
    public func writeTwoModelSuite(named name: String, cases: Int, port: Int) throws {
        let list = (1...cases).map { "      - {id: c\($0), vars: {a: \"\($0)\"}}" }.joined(separator: "\n")
        try write("suite.yaml", """
            suite: \(name)
            models: models.yaml
            tasks:
              - id: sums
                prompt: "Compute: {{a}} + 1"
                graders: [{type: contains, value: "1"}]
                cases:
            \(list)
            """)
        try write("models.yaml", """
            models:
              - {id: a, base_url: "http://127.0.0.1:\(port)/v1", model: sim/a, class: open, max_concurrency: 4}
              - {id: b, base_url: "http://127.0.0.1:\(port)/v1", model: sim/b, class: open, max_concurrency: 4}
            """)
    }
}
