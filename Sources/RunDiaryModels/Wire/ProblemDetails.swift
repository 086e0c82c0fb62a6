/// An error response body (`application/problem+json`, RFC 9457) with a stable `code` extension.
public struct ProblemDetails: Codable, Hashable, Sendable {
    /// A URI naming the problem type; `about:blank` (also when absent) when the status says it all.
    public var type: String
    /// A short, human-readable summary of the problem type.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// An explanation specific to this occurrence.
    public var detail: String?
    /// A URI for this occurrence, such as the request path.
    public var instance: String?
    /// A stable, machine-readable code clients act on (for example `validation_failed` or `reset_required`).
    public var code: String
    /// Field-level issues, when the request body failed validation.
    public var errors: [ValidationIssue]?

    public init(
        type: String = "about:blank",
        title: String,
        status: Int,
        detail: String? = nil,
        instance: String? = nil,
        code: String,
        errors: [ValidationIssue]? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.code = code
        self.errors = errors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "about:blank"
        title = try container.decode(String.self, forKey: .title)
        status = try container.decode(Int.self, forKey: .status)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        instance = try container.decodeIfPresent(String.self, forKey: .instance)
        code = try container.decode(String.self, forKey: .code)
        errors = try container.decodeIfPresent([ValidationIssue].self, forKey: .errors)
    }
}
