import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `count` elements, element `index` made by `make(index)`, made on every core at once and
    /// kept in index order: for independent summaries, each a pass over a big run's samples.
    static func concurrent(count: Int, _ make: @Sendable (Int) -> Element) -> [Element] {
        let made = Mutex([Element?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let element = make(index)
            made.withLock { $0[index] = element }
        }
        return made.withLock { $0.map { $0! } }
    }
}
