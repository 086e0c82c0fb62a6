/// One reason a record or mutation was refused: the field, a stable code, and a message for people.
public struct ValidationIssue: Codable, Hashable, Sendable {
    /// The wire name of the field.
    public var field: String
    /// The stable code clients act on.
    public var code: ValidationCode
    /// An English explanation; wording may change between versions.
    public var message: String

    public init(field: String, code: ValidationCode, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}
