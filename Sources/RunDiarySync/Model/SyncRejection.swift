import Foundation
import RunDiaryModels

/// An edit of this device that the server refused: kept so the app can show it and the runner can enter it again.
public struct SyncRejection: Hashable, Sendable, Identifiable {
    /// The mutation id, unique on this device.
    public var id: Int64 { mutation.mutationID }
    /// The refused mutation as it was sent.
    public let mutation: Mutation
    /// The stable code (`record_deleted`, `invalid_reference`, a validation code, …).
    public let code: RejectionCode
    public let field: String?
    public let message: String
    /// Every validation issue, when the server listed them.
    public let issues: [ValidationIssue]
    public let rejectedAt: Date

    public init(
        mutation: Mutation, code: RejectionCode, field: String?, message: String, issues: [ValidationIssue], rejectedAt: Date
    ) {
        self.mutation = mutation
        self.code = code
        self.field = field
        self.message = message
        self.issues = issues
        self.rejectedAt = rejectedAt
    }
}
