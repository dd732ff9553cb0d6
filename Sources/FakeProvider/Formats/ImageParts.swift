import Foundation

/// The image parts of a message as each format carries them, decoded and checked; a malformed
/// part is refused with the provider's own kind of error.
enum ImageParts {
    /// OpenAI's `content` parts `{type: image_url, image_url: {url: "data:image/png;base64,..."}}`
    /// of message `index`. Only `data:` URLs: the fake provider fetches nothing.
    static func openAI(_ content: Any?, index: Int) -> Result<[ImageInput], ProviderError> {
        var images: [ImageInput] = []
        for case let part as [String: Any] in content as? [Any] ?? [] where part["type"] as? String == "image_url" {
            let param = "messages[\(index)].content"
            guard let url = (part["image_url"] as? [String: Any])?["url"] as? String else {
                return .failure(.invalidRequest("Invalid '\(param)': an image_url part needs 'image_url': {'url': ...}.",
                                                param: param, code: "invalid_type"))
            }
            guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64") else {
                return .failure(.invalidRequest("Invalid image URL: expected a base64 data URL "
                                                + "(data:image/png;base64,...).", param: param, code: "invalid_image_url"))
            }
            switch ImageInput.decode(base64: String(url[url.index(after: comma)...])) {
            case .success(let image): images.append(image)
            case .failure:
                return .failure(.invalidRequest("You uploaded an unsupported image. Please make sure your image is valid.",
                                                param: param, code: "invalid_image_format"))
            }
        }
        return .success(images)
    }

    /// Anthropic's blocks `{type: image, source: {type: base64, media_type, data}}` of message
    /// `index`; the media type must match the bytes.
    static func anthropic(_ content: Any?, index: Int) -> Result<[ImageInput], ProviderError> {
        var images: [ImageInput] = []
        for case (let position, let block as [String: Any]) in (content as? [Any] ?? []).enumerated()
        where block["type"] as? String == "image" {
            let path = "messages.\(index).content.\(position).image.source"
            guard let source = block["source"] as? [String: Any], source["type"] as? String == "base64",
                  let mediaType = source["media_type"] as? String, let data = source["data"] as? String else {
                return .failure(.invalidRequest("\(path): Input should be {type: 'base64', media_type, data}"))
            }
            switch ImageInput.decode(base64: data) {
            case .success(let image):
                guard image.mediaType == mediaType else {
                    return .failure(.invalidRequest("\(path).base64: Image does not match the provided media type \(mediaType)"))
                }
                images.append(image)
            case .failure(.notBase64):
                return .failure(.invalidRequest("\(path).base64.data: invalid base64 data"))
            case .failure(.notAnImage):
                return .failure(.invalidRequest("\(path).base64: Could not process image"))
            }
        }
        return .success(images)
    }

    /// Gemini's parts `{inlineData: {mimeType, data}}` (or snake_case) of `contents[index]`.
    static func gemini(_ content: Any, index: Int) -> Result<[ImageInput], ProviderError> {
        var images: [ImageInput] = []
        let parts = (content as? [String: Any])?["parts"] as? [Any] ?? []
        for case (let position, let part as [String: Any]) in parts.enumerated() {
            guard let inline = (part["inlineData"] ?? part["inline_data"]) as? [String: Any] else { continue }
            let field = "contents[\(index)].parts[\(position)].inline_data"
            guard let mimeType = (inline["mimeType"] ?? inline["mime_type"]) as? String,
                  let data = inline["data"] as? String else {
                return .failure(.invalidRequest("Invalid value at '\(field)' (type.googleapis.com/google.ai.generativelanguage"
                                                + ".v1beta.Blob): expected 'mimeType' and 'data'"))
            }
            switch ImageInput.decode(base64: data) {
            case .success(let image):
                guard image.mediaType == mimeType else {
                    return .failure(.invalidRequest("Unable to process input image. The image is not \(mimeType)."))
                }
                images.append(image)
            case .failure(.notBase64):
                return .failure(.invalidRequest("Invalid value at '\(field).data' (TYPE_BYTES), Base64 decoding failed"))
            case .failure(.notAnImage):
                return .failure(.invalidRequest("Unable to process input image. Please retry or report in "
                                                + "https://developers.generativeai.google/guide/troubleshooting"))
            }
        }
        return .success(images)
    }
}
