import Testing
import TradeoffKit

/// Quick slices: which tasks and cases a plan keeps, the same for the same flags.
struct QuickSliceTests {
    private func suite() -> Suite {
        let tasks = ["a", "b", "c"].map { id in
            SuiteTask(id: id, system: nil, prompt: Template("{{x}}"), settings: .defaults, graders: [],
                      cases: (1...20).map { TestCase(id: "\(id)\($0)", variables: ["x": "\($0)"]) })
        }
        return Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: tasks)
    }

    private func caseIDs(_ plan: RunPlan) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: plan.suite.tasks.map { ($0.id, $0.cases.map(\.id)) })
    }

    @Test func onlyTasksAndLimitKeepTheFirstCasesOfTheNamedTasks() {
        let plan = RunPlan(suite: suite(), models: [], slice: QuickSlice(onlyTasks: ["c", "a"], limit: 2))
        #expect(plan.suite.tasks.map(\.id) == ["a", "c"], "suite order")
        #expect(caseIDs(plan) == ["a": ["a1", "a2"], "c": ["c1", "c2"]])
        #expect(plan.slice?.description == "tasks c, a; the first 2 cases of each task")
        #expect(plan.slice?.flags == "--only-tasks c,a --limit 2")
    }

    @Test func aSampleIsSeededReproducibleAndInSuiteOrder() {
        let slice = QuickSlice(sample: 5, seed: 42)
        let first = caseIDs(RunPlan(suite: suite(), models: [], slice: slice))
        let again = caseIDs(RunPlan(suite: suite(), models: [], slice: slice))
        #expect(first == again)
        for (task, ids) in first {
            #expect(ids.count == 5)
            let positions = ids.map { Int($0.dropFirst())! }
            #expect(positions == positions.sorted(), "\(task)")
        }
        let otherSeed = caseIDs(RunPlan(suite: suite(), models: [], slice: QuickSlice(sample: 5, seed: 43)))
        #expect(otherSeed != first)
        #expect(first["a"] != first["b"]?.map { "a" + $0.dropFirst() }, "each task draws its own sample")
        #expect(slice.description == "a random 5 cases of each task (seed 42)")
    }

    @Test func aSliceLargerThanATaskKeepsItWhole() {
        let plan = RunPlan(suite: suite(), models: [], slice: QuickSlice(sample: 50, seed: 1))
        #expect(plan.suite.caseCount == 60)
        #expect(RunPlan(suite: suite(), models: [], slice: QuickSlice()).slice == nil)
    }
}
