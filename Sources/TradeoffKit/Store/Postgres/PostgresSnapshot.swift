import Foundation
import Synchronization

/// Runs read from the shared history into a temporary SQLite database, removed when this is
/// released (or when the process exits, whichever comes first).
public final class PostgresSnapshot {
    /// The temporary database.
    public let store: ResultStore
    /// Where the runs came from: the server's URL without its password.
    public let label: String
    private let folder: String

    init(label: String) throws {
        self.label = label
        let folder = NSTemporaryDirectory() + "/tradeoff-postgres-" + UUID().uuidString
        self.folder = folder
        _ = Self.leftovers.withLock { $0.insert(folder) }
        Self.removeAtExit
        store = try ResultStore(path: folder + "/snapshot.sqlite")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
        _ = Self.leftovers.withLock { $0.remove(folder) }
    }

    private static let leftovers = Mutex<Set<String>>([])

    /// `exit()` runs no deinitializers: the folders still there go then.
    private static let removeAtExit: Void = {
        atexit {
            for folder in PostgresSnapshot.leftovers.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: folder) }
        }
    }()
}
