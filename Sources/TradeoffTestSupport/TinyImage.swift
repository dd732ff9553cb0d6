import Foundation

/// Small valid images for vision tests: a 1×1 grey PNG carrying a `tEXt` chunk (the label the
/// fake provider reads back as what is "written on" the picture), and the signatures of the
/// other formats.
public enum TinyImage {
    /// A 1×1 8-bit greyscale PNG with `label` in a `tEXt` chunk (keyword `Label`) and a pixel
    /// value of `shade`, so two labels (or shades) give two different files.
    public static func png(label: String, shade: UInt8 = 0x80) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Width 1, height 1, bit depth 8, colour type 0 (grey), deflate, no filter, no interlace.
        png += chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        png += chunk("tEXt", Array("Label".utf8) + [0] + Array(label.utf8))
        // One scanline (filter 0, one pixel) as a zlib stream of one stored block.
        let raw: [UInt8] = [0, shade]
        png += chunk("IDAT", [0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF] + raw + bigEndian(adler32(raw)))
        png += chunk("IEND", [])
        return png
    }

    /// The first bytes of a JPEG, a GIF and a WebP file: enough for format detection.
    public static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8) + Data([0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9])
    public static let gif = Data("GIF89a".utf8) + Data([1, 0, 1, 0, 0, 0, 0, 0x3B])
    public static let webp = Data("RIFF".utf8) + Data([12, 0, 0, 0]) + Data("WEBPVP8 ".utf8) + Data([0, 0, 0, 0])

    private static func chunk(_ type: String, _ data: [UInt8]) -> Data {
        let typed = Array(type.utf8) + data
        return Data(bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
