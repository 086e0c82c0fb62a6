/// What applying a mutation produced: the record to store, the verdict, and what happened to each field.
public struct MergeResult: Hashable, Sendable {
    /// The record after the mutation; the input state when nothing changed (nil only if there was none).
    public let state: RecordState?
    /// Whether `state` differs from the input and must be written with the assigned version.
    public let changed: Bool
    /// The verdict.
    public let outcome: MergeOutcome
    /// One entry per field the mutation set, sorted by name; empty for deletes and rejections.
    public let fieldResults: [FieldMergeResult]

    public init(state: RecordState?, changed: Bool, outcome: MergeOutcome, fieldResults: [FieldMergeResult]) {
        self.state = state
        self.changed = changed
        self.outcome = outcome
        self.fieldResults = fieldResults
    }

    /// The real conflicts, whichever side won; the server keeps their losing values.
    public var conflicts: [FieldConflict] {
        fieldResults.compactMap { result in
            if case .conflict(let conflict) = result.resolution { return conflict }
            return nil
        }
    }

    /// Fields whose value was not taken because the stored clock was newer, outside a conflict.
    public var staleFields: [String] {
        fieldResults.compactMap { result in
            if case .stale = result.resolution { return result.field }
            return nil
        }
    }

    static func rejected(_ state: RecordState?, code: RejectionCode, field: String?, _ message: String)
        -> MergeResult
    {
        let rejection = MergeRejection(code: code, field: field, message: message)
        return MergeResult(state: state, changed: false, outcome: .rejected(rejection), fieldResults: [])
    }
}
