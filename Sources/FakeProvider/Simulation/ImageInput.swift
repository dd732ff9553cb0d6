import Foundation

/// An image a request carried, decoded from its base64 and checked to be one of the formats
/// providers take (PNG, JPEG, GIF, WebP, read from the bytes).
///
/// Simulation rules: every image costs ``tokens`` prompt tokens; its bytes' hash joins the
/// request hash (another picture is another request); and a PNG's first `tEXt` chunk is the
/// text "written on" the image, which a vision task asks for (see ``TaskFamily/imageLabelMarker``).
struct ImageInput: Sendable, Hashable {
    /// Prompt tokens billed per image, whatever its size: OpenAI's price of a low-detail image.
    static let tokens = 85

    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`, from the bytes.
    var mediaType: String
    /// FNV-1a of the bytes.
    var digest: UInt64
    /// The text of a PNG's first `tEXt` chunk, if any.
    var label: String?

    /// The image in `base64`; nil (with why) when it is not base64 or not an image.
    static func decode(base64: String) -> Result<ImageInput, Problem> {
        guard !base64.isEmpty, let data = Data(base64Encoded: base64) else { return .failure(.notBase64) }
        guard let mediaType = mediaType(of: data) else { return .failure(.notAnImage) }
        return .success(ImageInput(mediaType: mediaType, digest: FNV1a.hash(data),
                                   label: mediaType == "image/png" ? pngText(data) : nil))
    }

    /// Why image data was refused.
    enum Problem: Error {
        case notBase64, notAnImage
    }

    /// The media type of `data`, from its signature.
    static func mediaType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(12))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        return nil
    }

    /// The text of the first `tEXt` chunk of the PNG `data` (after the keyword and its NUL).
    static func pngText(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length <= bytes.count else { return nil }
            if type == "tEXt", let nul = bytes[start..<start + length].firstIndex(of: 0) {
                return String(decoding: bytes[(nul + 1)..<(start + length)], as: UTF8.self)
            }
            if type == "IEND" { return nil }
            offset = start + length + 4
        }
        return nil
    }
}
