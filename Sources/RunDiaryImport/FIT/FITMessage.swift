/// A FIT data message as the decoder keeps it: its global message number and the fields asked for, each as its
/// first value with invalid values (the base type's "no value" marker) already left out.
struct FITMessage: Sendable {
    /// The global message number (0 file_id, 18 session, 20 record, 34 activity, …).
    let global: UInt16
    /// Field definition number → value.
    let fields: [UInt8: FITValue]

    subscript(_ field: UInt8) -> FITValue? { fields[field] }
}

/// One field value: integers of every base type as Int64 or UInt64, floats as Double.
enum FITValue: Sendable, Hashable {
    case signed(Int64)
    case unsigned(UInt64)
    case float(Double)

    /// The value as a Double, for scaled quantities.
    var double: Double {
        switch self {
        case .signed(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .float(let value): value
        }
    }

    /// The value as an unsigned integer, if it is a non-negative integer.
    var unsigned: UInt64? {
        switch self {
        case .signed(let value): value >= 0 ? UInt64(value) : nil
        case .unsigned(let value): value
        case .float: nil
        }
    }
}
