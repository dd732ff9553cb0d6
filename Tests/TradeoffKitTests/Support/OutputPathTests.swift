import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Paths a command writes, checked before anything is written: `.` and `./` used to trap in
/// `NSString.deletingLastPathComponent`.
struct OutputPathTests {
    @Test(arguments: [
        ("r.sqlite", ""), ("results/r.sqlite", "results"), ("/r.sqlite", "/"), ("a/b/", "a"), (".", ""), ("./", ""),
        ("./r.sqlite", "."), ("/", "/"), ("a//b", "a/"),
    ])
    func folderOfAPath(path: String, folder: String) {
        #expect(OutputPath.folder(of: path) == folder)
    }

    @Test func aFolderIsNoFile() throws {
        try withTemporaryDirectory { directory in
            try directory.write("notes.txt", "x")
            #expect(OutputPath.fileProblem(".", example: "r.sqlite") == "'.' is a folder, not a file; name a file in it, like './r.sqlite'")
            #expect(OutputPath.fileProblem("./", example: "r.sqlite") == "'./' is a folder, not a file; name a file in it, like './r.sqlite'")
            #expect(OutputPath.fileProblem("out/..") == "'out/..' is a folder, not a file")
            #expect(OutputPath.fileProblem(directory.path) == "'\(directory.path)' is a folder, not a file")
            #expect(OutputPath.fileProblem(directory.file("notes.txt/r.sqlite"))
                    == "'\(directory.file("notes.txt"))' is a file, not a folder")
            #expect(OutputPath.fileProblem(directory.file("new/deeper/r.sqlite")) == nil)
            #expect(OutputPath.folderProblem(directory.file("notes.txt")) == "'\(directory.file("notes.txt"))' is a file, not a folder")
            #expect(OutputPath.folderProblem(directory.file("reports")) == nil)
        }
    }
}
