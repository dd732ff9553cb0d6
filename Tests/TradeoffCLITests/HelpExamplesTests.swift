import ArgumentParser
import Testing
@testable import tradeoff

/// Every command's `--help` ends with examples, and each example parses with the command's own
/// argument parser, as the command it illustrates (or one under it), so they cannot rot.
struct HelpExamplesTests {
    /// Every command of the tree and the names that lead to it.
    static func commands() -> [(names: [String], type: any ParsableCommand.Type)] {
        var found: [(names: [String], type: any ParsableCommand.Type)] = []
        func visit(_ type: any ParsableCommand.Type, _ names: [String]) {
            found.append((names, type))
            for subcommand in type.configuration.subcommands { visit(subcommand, names + [subcommand._commandName]) }
        }
        visit(Tradeoff.self, [])
        return found
    }

    /// The example command lines of a help text: the lines under `Examples:` up to a blank
    /// line, split into arguments the way a shell splits them (double quotes group); a line
    /// that is not a whole `tradeoff` command (one wrapped at the terminal's width) is kept as
    /// it is, so it fails to parse.
    static func examples(in help: String) -> [[String]] {
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "Examples:" }) else { return [] }
        return lines[(start + 1)...].map { $0.trimmingCharacters(in: .whitespaces) }
            .prefix { !$0.isEmpty }
            .map { words($0) }
            .map { $0.first == "tradeoff" ? Array($0.dropFirst()) : ["(not a command line)"] + $0 }
    }

    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    @Test func everyHelpHasExamplesThatParse() throws {
        let commands = Self.commands()
        #expect(commands.count == 19)
        for (names, type) in commands {
            let label = (["tradeoff"] + names).joined(separator: " ")
            // At 80 columns, as a terminal shows it: an example must fit on one line.
            let help = Tradeoff.helpMessage(for: type, columns: 80)
            let examples = Self.examples(in: help)
            #expect(!examples.isEmpty, "\(label) --help has no examples")
            for arguments in examples {
                #expect(Array(arguments.prefix(names.count)) == names, "\(label): example \(arguments) is of another command")
                do {
                    let parsed = try Tradeoff.parseAsRoot(arguments)
                    #expect(commands.contains { ObjectIdentifier($0.type) == ObjectIdentifier(Swift.type(of: parsed)) && $0.names.starts(with: names) },
                            "\(label): \(arguments) parses as \(Swift.type(of: parsed))")
                } catch {
                    Issue.record("\(label): example \(arguments) does not parse: \(Tradeoff.message(for: error))")
                }
            }
        }
    }

    @Test func examplesAreSplitLikeAShellSplitsThem() {
        #expect(Self.words(#"tradeoff run s.yaml --gate "quality(*) >= 0.85" --quiet"#)
                == ["tradeoff", "run", "s.yaml", "--gate", "quality(*) >= 0.85", "--quiet"])
        #expect(Self.examples(in: "Text.\n\nExamples:\n  tradeoff plan a.yaml\n  tradeoff validate a.yaml\n\nOPTIONS:\n")
                == [["plan", "a.yaml"], ["validate", "a.yaml"]])
        #expect(Self.examples(in: "Examples:\n  tradeoff run a.yaml --junit\nj.xml\n")
                == [["run", "a.yaml", "--junit"], ["(not a command line)", "j.xml"]])
    }
}
