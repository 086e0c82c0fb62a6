extension EntitySchema {
    /// Checks the values a mutation writes: each a known, client-writable field with an acceptable value.
    ///
    /// Issues are sorted by field name, so the first is the same whatever the order of the map. Values are checked in
    /// the map's order first, and sorted only when one has an issue: almost every patch has none.
    public func validatePatch(_ values: [String: JSONValue]) -> [ValidationIssue] {
        guard values.contains(where: { issue(name: $0.key, value: $0.value) != nil }) else { return [] }
        return values.sorted(by: { $0.key < $1.key }).compactMap { issue(name: $0.key, value: $0.value) }
    }

    /// The issue with writing `value` to the field `name`, if any.
    private func issue(name: String, value: JSONValue) -> ValidationIssue? {
        if let spec = field(named: name) {
            return spec.validate(value)
        }
        // Not a field (no field has a reserved name or a refused character): why.
        if let scalar = AcceptedText.firstRefused(in: name) {
            return ValidationIssue(
                field: AcceptedText.storable(name), code: .invalidValue,
                message: "A field name contains \(AcceptedText.name(of: scalar)), which is not accepted in text.")
        }
        if Self.reservedNames.contains(name) {
            return ValidationIssue(field: name, code: .readOnlyField, message: "\(name) is set by the server.")
        }
        return ValidationIssue(field: name, code: .unknownField, message: "\(entity.rawValue) has no field \(name).")
    }

    /// Checks a whole record: required fields set and cross-field rules kept. Values are checked by
    /// ``validatePatch(_:)`` when written and are not re-checked here.
    public func validateRecord(_ values: [String: JSONValue]) -> [ValidationIssue] {
        let missing = fields.filter { $0.isRequired && (values[$0.name]?.isNull ?? true) }.map {
            ValidationIssue(field: $0.name, code: .missingField, message: "\($0.name) is required.")
        }
        return missing + rules.compactMap { check($0, values) }
    }

    /// Checks the fields of a new record: ``validatePatch(_:)`` then ``validateRecord(_:)``.
    public func validateCreate(_ values: [String: JSONValue]) -> [ValidationIssue] {
        let issues = validatePatch(values)
        return issues.isEmpty ? validateRecord(values) : issues
    }

    private func check(_ rule: FieldRule, _ values: [String: JSONValue]) -> ValidationIssue? {
        switch rule {
        case .notGreater(let name, let limit):
            guard let order = compare(values[name], values[limit]), order > 0 else { return nil }
            return ValidationIssue(field: name, code: .outOfRange, message: "\(name) must not exceed \(limit).")
        case .notLess(let name, let limit):
            guard let order = compare(values[name], values[limit]), order < 0 else { return nil }
            return ValidationIssue(field: name, code: .outOfRange, message: "\(name) must not be before \(limit).")
        case .notFalse(let name, let condition, let code):
            guard values[condition]?.stringValue == code, values[name]?.boolValue == false else { return nil }
            return ValidationIssue(
                field: name,
                code: .invalidValue,
                message: "\(name) cannot be false when \(condition) is \(code)."
            )
        }
    }

    /// Compares two set values of the same kind (numbers or dates): negative, zero or positive; nil if either
    /// is absent or null.
    private func compare(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Int? {
        guard let lhs, let rhs else { return nil }
        if let left = lhs.numberValue, let right = rhs.numberValue {
            return left < right ? -1 : (left > right ? 1 : 0)
        }
        if let leftText = lhs.stringValue, let rightText = rhs.stringValue,
            let left = LocalDate(leftText), let right = LocalDate(rightText)
        {
            return left < right ? -1 : (left > right ? 1 : 0)
        }
        return nil
    }
}
