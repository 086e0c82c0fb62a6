/// The server's verdict on one mutation of a push; every mutation gets one.
public struct MutationResult: Codable, Hashable, Sendable {
    /// The mutation this answers.
    public var mutationID: Int64
    /// The verdict.
    public var status: MutationStatus
    /// Why it was rejected (rejected only).
    public var code: RejectionCode?
    /// The field at fault, if any (rejected only).
    public var field: String?
    /// An English explanation (rejected only).
    public var message: String?
    /// The record's server version after the mutation, when known.
    public var version: Int64?
    /// Fields not taken because a newer write was stored.
    public var staleFields: [String]?
    /// Real conflicts on fields this mutation set, whichever side won.
    public var conflicts: [FieldConflict]?
    /// All validation issues, when the rejection was a validation failure.
    public var errors: [ValidationIssue]?

    public init(
        mutationID: Int64,
        status: MutationStatus,
        code: RejectionCode? = nil,
        field: String? = nil,
        message: String? = nil,
        version: Int64? = nil,
        staleFields: [String]? = nil,
        conflicts: [FieldConflict]? = nil,
        errors: [ValidationIssue]? = nil
    ) {
        self.mutationID = mutationID
        self.status = status
        self.code = code
        self.field = field
        self.message = message
        self.version = version
        self.staleFields = staleFields
        self.conflicts = conflicts
        self.errors = errors
    }

    /// The verdict for a merge result; `version` is the record's version afterwards (the state's, if any).
    public init(mutationID: Int64, merge result: MergeResult) {
        let status: MutationStatus
        var rejection: MergeRejection?
        switch result.outcome {
        case .applied: status = .applied
        case .merged: status = .merged
        case .duplicate: status = .duplicate
        case .rejected(let reason):
            status = .rejected
            rejection = reason
        }
        let stale = result.staleFields
        let conflicts = result.conflicts
        self.init(
            mutationID: mutationID,
            status: status,
            code: rejection?.code,
            field: rejection?.field,
            message: rejection?.message,
            version: rejection == nil ? result.state?.version : nil,
            staleFields: stale.isEmpty ? nil : stale,
            conflicts: conflicts.isEmpty ? nil : conflicts,
            errors: rejection.flatMap { $0.issues.isEmpty ? nil : $0.issues }
        )
    }

    enum CodingKeys: String, CodingKey {
        case status, code, field, message, version, conflicts, errors
        case mutationID = "mutation_id"
        case staleFields = "stale_fields"
    }
}
