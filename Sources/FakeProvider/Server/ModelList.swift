/// `GET /v1/models`: OpenAI's list format.
struct ModelList: Sendable, Hashable, Encodable {
    struct Entry: Sendable, Hashable, Encodable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "fake-provider"

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    var object = "list"
    var data: [Entry]
}
