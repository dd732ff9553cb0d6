import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Images in a suite: content parts and `image_field:`, read and checked when the suite
/// loads, and every problem with them located as `validate` prints it.
struct ImageLoadingTests {
    static let catalog = SuiteFixture.catalog + """
          - id: text-only
            base_url: http://localhost:8001/v1
            model: m
            class: open
            vision: false

        """

    private func fixture(_ suite: String, files: [String: String] = [:], images: [String: Data] = [:]) throws -> SuiteFixture {
        let fixture = try SuiteFixture(files.merging(["suites/x.yaml": suite]) { $1 }, catalog: Self.catalog)
        for (name, data) in images { try fixture.directory.write(name, data: data) }
        return fixture
    }

    @Test func contentPartsAndAnImageFieldBecomeImagesOfTheUserTurn() throws {
        let receipt = TinyImage.png(label: "12.50")
        let fixture = try fixture("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: read
                messages:
                  - role: user
                    content:
                      - text: "What does the label in the image say? ({{n}})"
                      - image: photos/receipt.png
                graders: [{type: exact, expected: "12.50"}]
                cases: [{id: a, vars: {n: "1"}}]
              - id: rows
                prompt: What does the label in the image say?
                image_field: picture
                dataset: data/rows.jsonl
                graders: [{type: exact, expected: "{{label}}"}]
            """, files: ["suites/data/rows.jsonl": """
                {"id": "r1", "picture": "photos/receipt.png", "label": "12.50"}
                {"id": "r2", "picture": "photos/other.gif", "label": "x"}
                {"id": "r3", "picture": "", "label": "none"}

                """],
            images: ["suites/photos/receipt.png": receipt, "suites/photos/other.gif": TinyImage.gif])
        let loaded = try fixture.load()
        let read = loaded.suite.tasks[0]
        let turns = read.conversation(for: read.cases[0], modelID: nil)
        #expect(turns.count == 1)
        #expect(turns[0].content == "What does the label in the image say? (1)")
        #expect(turns[0].images.map(\.data) == [receipt])

        let rows = loaded.suite.tasks[1]
        let first = rows.conversation(for: rows.cases[0], modelID: nil)
        #expect(first.last?.images.map(\.format) == [.png])
        #expect(rows.conversation(for: rows.cases[1], modelID: nil).last?.images.map(\.format) == [.gif])
        #expect(rows.conversation(for: rows.cases[2], modelID: nil).last?.images == [])

        // The suite's content hash follows the images' bytes.
        try fixture.directory.write("suites/photos/receipt.png", data: TinyImage.png(label: "99.00"))
        #expect(try fixture.load().suite.contentHash != loaded.suite.contentHash)
    }

    @Test func everyImageProblemIsLocated() throws {
        let big = Data(count: ChatImage.maxBytes + 1)
        let fixture = try fixture("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                messages:
                  - role: system
                    content: [{image: photos/ok.png}]
                  - role: user
                    content:
                      - {image: photos/missing.png}
                      - {image: notes.txt}
                      - {image: photos/big.png}
                      - {text: a, image: photos/ok.png}
                      - {text: b}
                      - {text: c}
                  - role: user
                    content: []
                graders: [{type: exact, expected: x}]
                cases: [{id: a}]
              - id: rows
                prompt: hi
                image_field: picture
                dataset: rows.jsonl
                graders: [{type: exact, expected: x}]
              - id: typo
                prompt: hi
                image_field: pictures
                cases: [{id: a, vars: {picture: photos/ok.png}}]
                graders: [{type: exact, expected: x}]
            """, files: ["suites/notes.txt": "hello", "suites/rows.jsonl": """
                {"id": "r1", "picture": "photos/ok.png"}
                {"id": "r2", "picture": "notes.txt"}

                """],
            images: ["suites/photos/ok.png": TinyImage.png(label: "ok"), "suites/photos/big.png": big])
        let lines = fixture.validate("suites/x.yaml").components(separatedBy: "\n").filter { $0.hasPrefix("suites/") }
        #expect(lines == [
            "suites/x.yaml:7:27: error: an image in a 'system' turn: providers take images in user turns only; move it to a user turn",
            "suites/x.yaml:10:21: error: image file 'suites/photos/missing.png' does not exist; an image path is relative to the suite's folder",
            "suites/x.yaml:11:21: error: image file 'suites/notes.txt' is not a PNG, JPEG, GIF or WebP image (read from its bytes, not its name); providers take only these four formats",
            "suites/x.yaml:12:21: error: image file 'suites/photos/big.png' is 5242881 bytes, more than the 5242880 (5 MB) an image may be (Anthropic's limit per image); shrink or recompress it",
            "suites/x.yaml:13:13: error: a content part is either {text: \"...\"} or {image: path}, one key each; this one has both",
            "suites/x.yaml:15:20: error: a turn has one 'text' part; put all its text in it (images go after it)",
            "suites/x.yaml:17:18: error: a turn's 'content' is an empty list; give a list of parts like [{text: \"What is on this receipt?\"}, {image: photos/receipt.png}]",
            "suites/x.yaml:27:18: error: no case has a value in 'pictures', so no image would be sent; name the column (or variable) that holds each case's image path",
            "suites/rows.jsonl:2:1: error: image file 'suites/notes.txt' is not a PNG, JPEG, GIF or WebP image (read from its bytes, not its name); providers take only these four formats (field 'picture' of case 'r2')",
        ])
    }

    @Test func aModelWithoutVisionIsAnErrorAtTheTasksImage() throws {
        let fixture = try fixture("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, text-only]}
            tasks:
              - id: t
                prompt: What does the label in the image say?
                image_field: picture
                cases: [{id: a, vars: {picture: photos/ok.png}}]
                graders: [{type: exact, expected: x}]
            """, images: ["suites/photos/ok.png": TinyImage.png(label: "ok")])
        #expect(fixture.validate("suites/x.yaml") == """
            suites/x.yaml:6:18: error: task 't' sends images, which 'text-only' cannot see (the catalog says 'vision: false'); leave it out with 'only:', or remove 'vision: false' if the model takes images
                image_field: picture
                             ^
            """)
    }
}
