/// Random ids for responses and requests. Ids are the one thing that differs between two
/// identical requests, as with the real providers.
enum RandomID {
    /// `bytes` random bytes as lowercase hex.
    static func hex(bytes: Int) -> String {
        (0..<bytes).map { _ in
            let byte = UInt8.random(in: .min ... .max)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// `count` random letters and digits, like Anthropic's and Google's ids.
    static func alphanumeric(count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }
}
