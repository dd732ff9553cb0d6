/// An external command that grades answers (`type: command`): it gets one JSON object on
/// standard input and prints `{"score": 0..1, "passed": bool, "reason": "..."}`.
///
/// The command is code the suite's author chose to run: it runs with the user's rights, in the
/// suite's folder, never through a shell.
public struct CommandSpec: Sendable, Hashable {
    /// The program and its arguments, as written (`[python3, graders/check_sql.py]`).
    public var argv: [String]
    /// The folder the command runs in: the suite file's folder.
    public var workingDirectory: String
    /// Seconds before the command is killed and the grade is a grader error. Default 30.
    public var timeout: Double
    /// An expected value passed to the command as `expected`, if given.
    public var expected: Template?
    /// Environment variables removed before the command starts: the catalog's key variables,
    /// so a grader never sees an API key.
    public var hiddenEnvironment: [String]

    /// Creates a spec.
    public init(argv: [String], workingDirectory: String, timeout: Double = 30, expected: Template? = nil,
                hiddenEnvironment: [String] = []) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.expected = expected
        self.hiddenEnvironment = hiddenEnvironment
    }
}
