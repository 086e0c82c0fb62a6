/// What a mutation did to one field it set.
public enum FieldResolution: Hashable, Sendable {
    /// The value was written: the field was unset or its stored clock older.
    case applied
    /// The stored clock equals the mutation's: the same write was applied before.
    case duplicate
    /// The stored clock is newer; the mutation's value was not taken.
    case stale(storedHLC: HLC)
    /// A real conflict, resolved by clock; ``FieldConflict/winner`` says whether the value was written.
    case conflict(FieldConflict)

    /// Whether the mutation's value is now the stored one.
    public var isWritten: Bool {
        switch self {
        case .applied: true
        case .duplicate, .stale: false
        case .conflict(let conflict): conflict.winner == .mutation
        }
    }
}
