import Foundation

/// Checks on a path a command will write (a database, a report file, a report folder), made
/// before anything is written or spent, and the path arithmetic they need.
///
/// `NSString.deletingLastPathComponent` traps on `.` and `./` in swift-corelibs-foundation, so
/// paths given on the command line go through `folder(of:)` instead.
public enum OutputPath {
    /// The folder a file at `path` goes in, as written: `""` for the current folder, `/` for
    /// the root. Never traps.
    public static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// Why no file can be written at `path`, phrased to follow the path (`'.' is a folder, not
    /// a file; ...`); nil when it can be tried.
    ///
    /// - Parameter example: a file name to suggest when `path` names a folder (`results.sqlite`).
    public static func fileProblem(_ path: String, example: String? = nil) -> String? {
        if path.isEmpty { return "the path is empty; name a file" + (example.map { ", like '\($0)'" } ?? "") }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        if path.hasSuffix("/") || last == "." || last == ".." || isFolder(path) {
            guard let example else { return "'\(path)' is a folder, not a file" }
            let inside = path.hasSuffix("/") ? path + example : path + "/" + example
            return "'\(path)' is a folder, not a file; name a file in it, like '\(inside)'"
        }
        return fileInTheWay(above: path)
    }

    /// Why `path` cannot be a folder to write files into (it is a file, or sits under one);
    /// nil when it can be tried.
    public static func folderProblem(_ path: String) -> String? {
        if path.isEmpty { return "the folder path is empty" }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "'\(path)' is a file, not a folder"
        }
        return fileInTheWay(above: path)
    }

    /// An existing file where a folder above `path` should be: `'notes.txt' is a file, not a folder`.
    private static func fileInTheWay(above path: String) -> String? {
        var folder = self.folder(of: path)
        while !folder.isEmpty, folder != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : "'\(folder)' is a file, not a folder"
            }
            folder = self.folder(of: folder)
        }
        return nil
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
