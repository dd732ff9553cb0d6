import NIOHTTP1

/// An error response in OpenAI's shape:
/// `{"error": {"message": ..., "type": ..., "param": ..., "code": ...}}`.
struct APIError: Error, Sendable, Hashable, Encodable {
    var status: HTTPResponseStatus
    var message: String
    var type: String
    var param: String?
    var code: String

    static func invalidRequest(_ message: String, param: String? = nil, code: String) -> Self {
        Self(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    private enum CodingKeys: String, CodingKey { case error }
    private enum DetailKeys: String, CodingKey { case message, type, param, code }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var detail = container.nestedContainer(keyedBy: DetailKeys.self, forKey: .error)
        try detail.encode(message, forKey: .message)
        try detail.encode(type, forKey: .type)
        try detail.encode(param, forKey: .param)  // OpenAI sends an explicit null
        try detail.encode(code, forKey: .code)
    }
}
