/// Why a mutation was refused: the stored record is left unchanged.
public struct MergeRejection: Hashable, Sendable {
    /// The stable code.
    public let code: RejectionCode
    /// The field at fault, if one is.
    public let field: String?
    /// An English explanation.
    public let message: String
    /// Every validation issue found, the first of which gave `code`, `field` and `message`; empty otherwise.
    public let issues: [ValidationIssue]

    /// Creates a rejection that is not about validation.
    public init(code: RejectionCode, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
        self.issues = []
    }

    /// Creates a rejection from validation issues; `issues` must not be empty.
    public init(issues: [ValidationIssue]) {
        precondition(!issues.isEmpty, "a validation rejection needs an issue")
        self.code = RejectionCode(issues[0].code)
        self.field = issues[0].field
        self.message = issues[0].message
        self.issues = issues
    }
}
