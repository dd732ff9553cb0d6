import Foundation

extension HTTPResponse {
    /// The body's first 200 bytes as text: what a message quotes of a body it could not read.
    var bodySnippet: String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }

    /// The response with `secrets` redacted from its body, before any of it is cut to be quoted:
    /// a key straddling the cut would leave its first characters in the quote.
    func redacting(_ secrets: [String]) -> HTTPResponse {
        guard !secrets.isEmpty, !body.isEmpty else { return self }
        var response = self
        response.body = Secrets.redact(body, secrets)
        return response
    }

    /// What to say of an error response whose body the provider's format does not explain.
    var unexplainedErrorText: String {
        body.isEmpty ? "HTTP \(status) with an empty body" : bodySnippet
    }
}
