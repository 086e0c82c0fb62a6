import Foundation

extension FieldSpec {
    /// The issue with writing `value` to this field, or nil if it is acceptable; `null` clears an optional field.
    public func validate(_ value: JSONValue) -> ValidationIssue? {
        if value.isNull {
            return isRequired ? issue(.missingField, "\(name) is required and cannot be cleared.") : nil
        }
        if let textIssue = value.firstTextIssue(at: name) { return textIssue }
        switch type {
        case .string(let maxLength):
            return validateString(value, maxLength: maxLength)
        case .integer(let range):
            guard case .integer(let number) = value else {
                return value.integerValue.map { checkRange(Double($0), range) } ?? wrongType(value, "an integer")
            }
            return range.contains(number) ? nil : outOfRange(range.lowerBound, range.upperBound)
        case .number(let range):
            guard let number = value.numberValue else { return wrongType(value, "a number") }
            return range.contains(number) ? nil : outOfRange(range.lowerBound, range.upperBound)
        case .boolean:
            return value.boolValue == nil ? wrongType(value, "a boolean") : nil
        case .timestamp:
            guard let text = value.stringValue else { return wrongType(value, "a timestamp string") }
            guard let timestamp = Timestamp(text) else {
                return issue(
                    .invalidValue,
                    "\(name) must be an ISO 8601 timestamp with a UTC offset, such as 2026-11-26T07:30:00+01:00.")
            }
            guard Timestamp.utcOffsetRange.contains(timestamp.utcOffsetSeconds) else {
                return issue(.outOfRange, "\(name) must be written with a UTC offset between -18:00 and +18:00.")
            }
            return DiaryCalendar.contains(timestamp) ? nil : outOfCalendar()
        case .date:
            guard let text = value.stringValue else { return wrongType(value, "a date string") }
            guard let date = LocalDate(text) else { return issue(.invalidValue, "\(name) must be a date YYYY-MM-DD.") }
            return DiaryCalendar.contains(date) ? nil : outOfCalendar()
        case .reference(let entity):
            guard let text = value.stringValue else { return wrongType(value, "a UUID string") }
            return UUID(text: text) != nil
                ? nil : issue(.invalidValue, "\(name) must be the UUID of a \(entity.rawValue).")
        case .enumeration(let allowed):
            guard let text = value.stringValue else { return wrongType(value, "a string") }
            return allowed.contains(text) ? nil : unknownCode(text, allowed)
        case .enumerationSet(let allowed):
            return validateSet(value, allowed: allowed)
        case .timeZone(let maxLength):
            guard let text = value.stringValue else { return wrongType(value, "a time zone string") }
            if text.unicodeScalars.count > maxLength { return issue(.tooLong, "\(name) must be at most \(maxLength) characters.") }
            return TimeZone(identifier: text) != nil
                ? nil : issue(.invalidValue, "\(name) must be an IANA time zone such as Europe/Berlin.")
        }
    }

    /// The stored form of an accepted value: references are lowercased so that equal ids compare equal. Compare
    /// values in this form (an import deciding whether a field would change, for one).
    public func canonical(_ value: JSONValue) -> JSONValue {
        switch (type, value) {
        case (.reference, .string(let text)):
            return .string(text.lowercased())
        case (.number, .integer(let number)):
            return .number(Double(number))
        case (.timestamp, .string(let text)):
            // Kept to the microsecond, as PostgreSQL keeps it, so that a stored value reads back identical.
            guard let timestamp = Timestamp(text) else { return value }
            return .string(Timestamp(timestamp.date, utcOffsetSeconds: timestamp.utcOffsetSeconds).description)
        default:
            return value
        }
    }

    private func validateString(_ value: JSONValue, maxLength: Int) -> ValidationIssue? {
        guard let text = value.stringValue else { return wrongType(value, "a string") }
        // One pass: the length in scalars and whether any is not blank — Unicode's White_Space (Zs, Zl, Zp,
        // U+0009…U+000D, U+0085) and the zero-width space, what Foundation's `.whitespacesAndNewlines` trims.
        var length = 0
        var blank = true
        for scalar in text.unicodeScalars {
            length += 1
            if blank && !scalar.properties.isWhitespace && scalar != "\u{200B}" { blank = false }
        }
        if length > maxLength {
            return issue(.tooLong, "\(name) must be at most \(maxLength) characters.")
        }
        if !allowsBlank && blank {
            return issue(.invalidValue, "\(name) must not be blank.")
        }
        return nil
    }

    private func validateSet(_ value: JSONValue, allowed: [String]) -> ValidationIssue? {
        guard let elements = value.arrayValue else { return wrongType(value, "an array of strings") }
        var seen = Set<String>()
        for element in elements {
            guard let text = element.stringValue else { return wrongType(element, "an array of strings") }
            guard allowed.contains(text) else { return unknownCode(text, allowed) }
            guard seen.insert(text).inserted else { return issue(.invalidValue, "\(name) lists \(text) twice.") }
        }
        return nil
    }

    private func checkRange(_ number: Double, _ range: ClosedRange<Int64>) -> ValidationIssue? {
        number >= Double(range.lowerBound) && number <= Double(range.upperBound)
            ? nil : outOfRange(range.lowerBound, range.upperBound)
    }

    private func outOfRange(_ lower: Int64, _ upper: Int64) -> ValidationIssue {
        issue(.outOfRange, "\(name) must be between \(lower) and \(upper).")
    }

    private func outOfRange(_ lower: Double, _ upper: Double) -> ValidationIssue {
        if let lower = Int64(exactly: lower), let upper = Int64(exactly: upper) {
            return outOfRange(lower, upper)
        }
        return issue(.outOfRange, "\(name) must be between \(lower) and \(upper).")
    }

    private func outOfCalendar() -> ValidationIssue {
        issue(.outOfRange, "\(name) must lie between \(DiaryCalendar.earliest) and \(DiaryCalendar.latest).")
    }

    private func unknownCode(_ text: String, _ allowed: [String]) -> ValidationIssue {
        issue(.invalidValue, "\(name) does not accept \(text); allowed: \(allowed.joined(separator: ", ")).")
    }

    private func wrongType(_ value: JSONValue, _ expected: String) -> ValidationIssue {
        issue(.invalidType, "\(name) must be \(expected), not \(value.typeName).")
    }

    private func issue(_ code: ValidationCode, _ message: String) -> ValidationIssue {
        ValidationIssue(field: name, code: code, message: message)
    }
}
