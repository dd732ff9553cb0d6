import Crypto
import Foundation

/// An image sent with a message (vision): its bytes, the format read from them, and their
/// SHA-256, which is what the response cache key and the suite's content hash see.
///
/// The bytes stay in memory for the run and go into requests only; nothing stores them (a
/// stored call keeps its prompt's hash at most).
public struct ChatImage: Sendable, Hashable, Codable {
    /// The image formats every provider takes (OpenAI, Anthropic and Gemini document all four).
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        case png, jpeg, gif, webp

        /// The MIME type sent with the bytes: `image/png`, ...
        public var mediaType: String { "image/" + rawValue }

        /// The format of `bytes`, read from their first bytes (the file's signature), never
        /// from a file name; nil for anything else.
        public init?(of bytes: Data) {
            let head = [UInt8](bytes.prefix(12))
            func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
                head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
            }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if starts([0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
                self = .gif
            } else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) {
                self = .webp
            } else {
                return nil
            }
        }
    }

    /// The largest image Tradeoff sends: 5 MB, Anthropic's documented limit per image (OpenAI
    /// and Gemini take more, but a suite should run on every provider).
    public static let maxBytes = 5 * 1024 * 1024

    /// The format, from the bytes.
    public var format: Format
    /// The image file's bytes.
    public var data: Data
    /// SHA-256 of `data`, 64 hex digits.
    public var sha256: String

    /// The image in `data`; nil when the bytes are not a PNG, JPEG, GIF or WebP image.
    public init?(data: Data) {
        guard let format = Format(of: data) else { return nil }
        self.format = format
        self.data = data
        sha256 = SHA256.hash(data: data).hexString
    }

    /// The bytes as base64, as every provider takes them.
    public var base64: String { data.base64EncodedString() }

    /// `data:image/png;base64,...`, as OpenAI's `image_url` takes an inline image.
    public var dataURL: String { "data:\(format.mediaType);base64,\(base64)" }

    /// Tokens Tradeoff assumes an image costs when a provider reports no usage: providers count
    /// by pixels (about 85 to 1,600 a picture); this is a middle guess, marked as an estimate.
    public static let estimatedTokens = 800

    /// Tokens an image may truthfully be billed at most (the usage check's allowance): above
    /// Anthropic's largest (about 1,600) and OpenAI's high-detail tiles.
    public static let maxTokens = 10_000
}
