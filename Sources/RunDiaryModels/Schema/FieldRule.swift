/// A rule across two fields of one record, checked whenever the record is created or changed.
public enum FieldRule: Hashable, Sendable {
    /// `field` ≤ `limit` when both are set (integers, numbers or dates), e.g. `moving_s` ≤ `elapsed_s`.
    case notGreater(field: String, limit: String)
    /// `field` ≥ `limit` when both are set, e.g. `end_date` ≥ `start_date`.
    case notLess(field: String, limit: String)
    /// `field` must not be `false` when `condition` holds the code `value`; absent is allowed and read as true.
    case notFalse(field: String, whenField: String, equals: String)

    /// The field a violation is reported on.
    public var field: String {
        switch self {
        case .notGreater(let field, _), .notLess(let field, _), .notFalse(let field, _, _): field
        }
    }
}
