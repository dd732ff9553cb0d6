import Foundation

/// The git commit a suite file belongs to, so a report can say exactly which version of the
/// suite (and its datasets, rubrics, graders) produced it.
public enum GitCommit {
    /// `HEAD`'s commit id of the repository holding `directory`, with `-dirty` when tracked files
    /// have uncommitted changes; nil outside a repository or without git. Reads only.
    public static func of(directory: String) -> String? {
        guard let commit = git(["rev-parse", "HEAD"], in: directory), commit.count >= 7 else { return nil }
        let changes = git(["status", "--porcelain", "--untracked-files=no"], in: directory) ?? ""
        return changes.isEmpty ? commit : commit + "-dirty"
    }

    private static func git(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
