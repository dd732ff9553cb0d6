import Foundation
import Yams

/// Images (vision): a turn's content written as parts (`[{text: ...}, {image: photos/x.png}]`),
/// a task's `image_field:` (the case variable naming each case's image), and the models the
/// catalog says cannot see. Every image is read when the suite loads, so a missing or broken
/// file is a located error before any call.
extension SuiteLoader.Session {
    static let partKeys = ["text", "image"]

    /// A turn's content written as a list of parts.
    struct DecodedContent {
        /// The text part, if any (at most one).
        var text: TemplateSource?
        /// The images, in order.
        var images: [ChatImage] = []
        /// The first image part, for messages about the turn's images.
        var imageNode: Node?
    }

    /// The parts `items` of a turn whose role is `role`; nil after reporting a problem.
    mutating func decodeParts(_ items: [Node], at node: Node, role: ChatMessage.Role?,
                              in document: YAMLDocument) -> DecodedContent? {
        let shape = "a list of parts like [{text: \"What is on this receipt?\"}, {image: photos/receipt.png}]"
        guard !items.isEmpty else {
            log.add(document.error("a turn's 'content' is an empty list; give \(shape)", at: node))
            return nil
        }
        var decoded = DecodedContent()
        var valid = true
        for item in items {
            guard case .mapping = item else {
                log.add(document.error("a content part is {text: \"...\"} or {image: path}, got \(document.describe(item))",
                                       at: item))
                valid = false
                continue
            }
            guard let fields = document.fields(of: item, in: "content part", allowed: Self.partKeys, log: &log) else {
                valid = false
                continue
            }
            let given = Self.partKeys.compactMap { key in fields[key].map { (key, $0) } }
            guard given.count == 1, let (key, value) = given.first else {
                let got = given.isEmpty ? "neither" : "both"
                log.add(document.error("a content part is either {text: \"...\"} or {image: path}, one key each; this one "
                                       + "has \(got)", at: item))
                valid = false
                continue
            }
            if key == "text" {
                guard case .scalar(let scalar) = value, !YAMLDocument.isNull(scalar) else {
                    log.add(document.error("'text' must be a string (a template), got \(document.describe(value))", at: value))
                    valid = false
                    continue
                }
                guard decoded.text == nil else {
                    log.add(document.error("a turn has one 'text' part; put all its text in it (images go after it)",
                                           at: value))
                    valid = false
                    continue
                }
                decoded.text = template(scalar.string, at: value, in: document)
            } else {
                if let role, role != .user {
                    log.add(document.error("an image in a '\(role.rawValue)' turn: providers take images in user turns "
                                           + "only; move it to a user turn", at: value))
                    valid = false
                    continue
                }
                guard let image = image(at: value, in: document) else { valid = false; continue }
                decoded.images.append(image)
                if decoded.imageNode == nil { decoded.imageNode = value }
            }
        }
        return valid ? decoded : nil
    }

    /// The image whose path (relative to the suite's folder) is the scalar `node`; nil after
    /// reporting why it cannot be sent.
    private mutating func image(at node: Node, in document: YAMLDocument) -> ChatImage? {
        guard let path = YAMLDocument.scalarText(node), !path.isBlank else {
            log.add(document.error("'image' must be a file path relative to the suite's folder, like photos/receipt.png, "
                                   + "got \(document.describe(node))", at: node))
            return nil
        }
        switch image(path: path, relativeTo: document.file) {
        case .success(let image): return image
        case .failure(let problem):
            log.add(document.error(problem.message, at: node))
            return nil
        }
    }

    /// Why an image cannot be sent, in words that say what to do.
    struct ImageProblem: Error {
        var message: String
    }

    /// The image at `path` (relative to the folder of `base`), read once per load.
    mutating func image(path: String, relativeTo base: String) -> Result<ChatImage, ImageProblem> {
        let resolved = InputFile.path(path, relativeTo: base)
        if let image = images[resolved] { return .success(image) }
        let named = "image file '\(resolved)'"
        let size = (try? FileManager.default.attributesOfItem(atPath: resolved)[.size] as? Int) ?? 0
        if size > ChatImage.maxBytes {
            return .failure(ImageProblem(message: "\(named) is \(size) bytes, more than the \(ChatImage.maxBytes) (5 MB) an "
                                         + "image may be (Anthropic's limit per image); shrink or recompress it"))
        }
        switch InputFile.bytes(atPath: resolved) {
        case .failure(let problem):
            let hint = problem == .missing ? "; an image path is relative to the suite's folder" : ""
            return .failure(ImageProblem(message: "\(named) \(problem.message)\(hint)"))
        case .success(let data):
            guard let image = ChatImage(data: data) else {
                let what = data.isEmpty ? "is empty" : "is not a PNG, JPEG, GIF or WebP image (read from its bytes, not its name)"
                return .failure(ImageProblem(message: "\(named) \(what); providers take only these four formats"))
            }
            images[resolved] = image
            return .success(image)
        }
    }

    /// The images a task's `image_field:` names, one per case (an empty or absent value sends
    /// none), by the path as written; problems are reported at the dataset row or the case.
    mutating func fieldImages(_ field: String, node: Node, cases: CaseList, dataset: DatasetFile?,
                              decoded: [DecodedCase]?, in document: YAMLDocument) -> [String: ChatImage] {
        var found: [String: ChatImage] = [:]
        var named = false
        for index in cases.indices {
            guard let path = cases[index].variables[field], !path.isBlank else { continue }
            named = true
            if found[path] != nil { continue }
            switch image(path: path, relativeTo: document.file) {
            case .success(let image): found[path] = image
            case .failure(let problem):
                let message = "\(problem.message) (field '\(field)' of case '\(cases[index].id)')"
                if let dataset {
                    log.add(Diagnostic(.error, file: dataset.path, line: dataset.line(at: index), column: 1, message: message))
                } else if let decoded, index < decoded.count {
                    log.add(decoded[index].locate(message))
                } else {
                    log.add(document.error(message, at: node))
                }
            }
        }
        if !named {
            log.add(document.error("no case has a value in '\(field)', so no image would be sent; name the column "
                                   + "(or variable) that holds each case's image path", at: node))
        }
        return found
    }

    /// Reports each task that sends images to models whose catalog entry says `vision: false`,
    /// at the task's first image, rather than sending a picture the model cannot see.
    mutating func checkVision(_ tasks: [DecodedTask], models: [ModelEntry], in document: YAMLDocument) {
        let blind = models.filter { $0.vision == false }
        guard !blind.isEmpty else { return }
        for task in tasks {
            guard let node = task.imageNode else { continue }
            let ids = Suggestions.list(blind.map { "'\($0.id)'" }, conjunction: "and")
            log.add(document.error("task '\(task.task.id)' sends images, which \(ids) cannot see (the catalog says "
                                   + "'vision: false'); leave \(blind.count == 1 ? "it" : "them") out with 'only:', or "
                                   + "remove 'vision: false' if the model takes images", at: node))
        }
    }
}
