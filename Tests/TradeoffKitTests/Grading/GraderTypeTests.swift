import Foundation
import Testing
@testable import TradeoffKit

/// The registry of grader types is the one list the suite decoder reads.
struct GraderTypeTests {
    @Test func requiredKeysAreAllowedKeysAndNoTypeRepeatsACommonKey() {
        for type in GraderType.allCases {
            #expect(Set(type.keys.required).isSubset(of: type.keys.allowed), "\(type)")
            #expect(Set(type.keys.allowed).isDisjoint(with: GraderType.commonKeys), "\(type)")
        }
    }

    /// A grader without its required key is refused with the registry's key, for every type
    /// that has one.
    @Test(arguments: GraderType.allCases.filter { !$0.keys.required.isEmpty })
    func aMissingRequiredKeyIsNamed(type: GraderType) throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "q"
                graders:
                  - {type: \(type.rawValue)}
                cases: [{id: one}]
            """
        let errors = try SuiteFixture(["suites/x.yaml": suite]).errors()
        #expect(errors.hasPrefix("suites/x.yaml:7:9: error: missing required key '\(type.keys.required[0])' in '\(type.rawValue)' grader"),
                "\(errors)")
    }

    /// A key of another type is refused, and the message lists exactly this type's keys.
    @Test func aKeyOfAnotherTypeListsTheTypesOwnKeys() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "q"
                graders:
                  - {type: bleu, expected: x, pattern: y}
                cases: [{id: one}]
            """
        let errors = try SuiteFixture(["suites/x.yaml": suite]).errors()
        #expect(errors.contains("unknown key 'pattern' in 'bleu' grader"), "\(errors)")
        #expect(!errors.contains("models"), "\(errors)")
        for key in GraderType.bleu.keys.allowed { #expect(errors.contains(key), "\(key)") }
    }
}
