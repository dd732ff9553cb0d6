import CZlib
import Foundation

/// A PNG decoded to its pixels, for what a test asks of a screenshot: the 8-bit RGB and RGBA
/// images, not interlaced, that Chromium writes. Anything else is refused, not guessed at.
struct PNGImage {
    var width: Int
    var height: Int
    /// Grey level (0–255, Rec. 601 luma) of each pixel, row by row.
    var grey: [UInt8]

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Decodes `data`: its chunks, the IDAT stream inflated with zlib, each row unfiltered.
    ///
    /// - Throws: `Problem` saying what is not a PNG this reads.
    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Problem(description: "not a PNG") }
        func integer(_ at: Int) -> Int {
            bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        var (width, height, channels) = (0, 0, 0)
        var compressed: [UInt8] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = integer(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard body + length + 4 <= bytes.count else { throw Problem(description: "chunk \(type) runs past the end") }
            switch type {
            case "IHDR":
                (width, height) = (integer(body), integer(body + 4))
                let (depth, color, interlace) = (bytes[body + 8], bytes[body + 9], bytes[body + 12])
                guard depth == 8, color == 2 || color == 6, interlace == 0 else {
                    throw Problem(description: "bit depth \(depth), colour type \(color), interlace \(interlace): not read here")
                }
                channels = color == 6 ? 4 : 3
            case "IDAT":
                compressed += bytes[body..<body + length]
            default:
                break
            }
            if type == "IEND" { break }
            offset = body + length + 4
        }
        guard width > 0, height > 0, channels > 0 else { throw Problem(description: "no IHDR chunk") }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &size, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(size) == raw.count else { throw Problem(description: "IDAT does not inflate (zlib \(status))") }

        // Unfiltering (PNG spec 9.2): each row names how it was predicted from its left and upper neighbours.
        var pixels = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let line = row * stride
            for index in 0..<stride {
                let left = index >= channels ? Int(pixels[line + index - channels]) : 0
                let up = row > 0 ? Int(pixels[line - stride + index]) : 0
                let upLeft = row > 0 && index >= channels ? Int(pixels[line - stride + index - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = a <= b && a <= c ? left : b <= c ? up : upLeft
                default: throw Problem(description: "row \(row) has filter \(filter)")
                }
                pixels[line + index] = UInt8(truncatingIfNeeded: Int(raw[source + index]) + predicted)
            }
        }
        self.width = width
        self.height = height
        grey = (0..<width * height).map { pixel -> UInt8 in
            let at = pixel * channels
            let red: Int = 299 * Int(pixels[at])
            let green: Int = 587 * Int(pixels[at + 1])
            let blue: Int = 114 * Int(pixels[at + 2])
            return UInt8((red + green + blue) / 1000)
        }
    }

    /// The standard deviation of the grey levels: 0 for a blank image.
    var greyDeviation: Double {
        guard !grey.isEmpty else { return 0 }
        let mean = grey.reduce(0.0) { $0 + Double($1) } / Double(grey.count)
        return (grey.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(grey.count)).squareRoot()
    }

    /// The share of pixels darker than `level`: ink on a white page.
    func share(darkerThan level: UInt8) -> Double {
        guard !grey.isEmpty else { return 0 }
        return Double(grey.filter { $0 < level }.count) / Double(grey.count)
    }
}
