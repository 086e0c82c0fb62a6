import Foundation
import RunDiaryModels

/// A JSON Schema (the subset the OpenAPI document uses for requests), checked against request bodies and
/// parameters, so that the server refuses exactly what the document forbids: the document is the one source of
/// those rules.
///
/// Supported keywords: `$ref` (within the document), `type` (a name or a list; `integer` is a number without a
/// fraction), `enum`, `const`, `properties`, `required`, `additionalProperties` (`false` or a schema),
/// `propertyNames`, `items`, `minItems`, `maxItems`, `minLength`, `maxLength` (counted in Unicode scalars, as JSON
/// Schema counts), `pattern`, `minimum`, `maximum`, `format` (`uuid`, `date`), `allOf`. Anything else is ignored,
/// as a JSON Schema validator ignores unknown keywords.
struct JSONSchema: Sendable {
    /// The schema as written, `$ref`s not yet followed.
    let node: JSONValue
    /// The whole document, for `$ref`s.
    let document: OpenAPIDocument

    /// The first problem of `value` against this schema, located at `path` (`device.name`, `include[1]`). A schema
    /// may name the problem code its violations carry with `x-rundiary-code` (e.g. `unsupported_schema_version`).
    func firstIssue(of value: JSONValue, at path: String) -> ValidationIssue? {
        firstIssue(of: value, path: .named(path))
    }

    /// Where a value sits in the body, written out as text only for an issue: a valid body of a hundred mutations
    /// builds no path text at all. (An enum, not a closure: closures passed down this recursion made the optimizer's
    /// closure specialisation run for many minutes in release builds.)
    private indirect enum Location {
        /// The body (`""`) or a parameter, by name.
        case named(String)
        case member(Location, String)
        case element(Location, Int)

        var text: String {
            switch self {
            case .named(let name):
                return name
            case .member(let parent, let key):
                let parentText = parent.text
                return parentText.isEmpty ? key : "\(parentText).\(key)"
            case .element(let parent, let index):
                return "\(parent.text)[\(index)]"
            }
        }
    }

    private func firstIssue(of value: JSONValue, path: Location) -> ValidationIssue? {
        guard let issue = check(value, path: path) else { return nil }
        guard case .object(let keywords) = node, case .string(let code)? = keywords["x-rundiary-code"] else {
            return issue
        }
        return ValidationIssue(field: issue.field, code: ValidationCode(rawValue: code), message: issue.message)
    }

    /// A query or path parameter's text as the JSON value its schema's type asks for; text that is not of that type
    /// stays a string, so that the type check reports it.
    func value(ofParameter text: String) -> JSONValue {
        var schema = node
        if case .object(let keywords) = schema, case .string(let reference)? = keywords["$ref"],
            let target = document.resolve(reference)
        {
            schema = target
        }
        guard case .object(let keywords) = schema, case .string(let type)? = keywords["type"] else { return .string(text) }
        switch type {
        case "integer": return Int64(text).map(JSONValue.integer) ?? .string(text)
        case "number": return Double(text).flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .string(text)
        case "boolean": return text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        default: return .string(text)
        }
    }

    private func check(_ value: JSONValue, path: Location) -> ValidationIssue? {
        guard case .object(let keywords) = node else { return nil }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = document.resolve(reference) else { return nil }
            return JSONSchema(node: target, document: document).firstIssue(of: value, path: path)
        }
        if case .array(let parts)? = keywords["allOf"] {
            for part in parts {
                if let issue = JSONSchema(node: part, document: document).firstIssue(of: value, path: path) { return issue }
            }
        }
        if let issue = typeIssue(value, keywords["type"], path: path) { return issue }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must be one of \(Self.list(allowed)).")
        }
        if let constant = keywords["const"], constant != value {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must be \(Self.text(constant)).")
        }
        switch value {
        case .string(let text):
            return stringIssue(text, keywords, path: path)
        case .integer, .number:
            return numberIssue(value.numberValue ?? 0, keywords, path: path)
        case .array(let elements):
            return arrayIssue(elements, keywords, path: path)
        case .object(let members):
            return objectIssue(members, keywords, path: path)
        case .null, .bool:
            return nil
        }
    }

    /// How a message names the value at `path`.
    private static func name(_ path: String) -> String {
        path.isEmpty ? "The body" : path
    }

    private func typeIssue(_ value: JSONValue, _ type: JSONValue?, path: Location) -> ValidationIssue? {
        let allowed: [String]
        switch type {
        case .string(let one)?: allowed = [one]
        case .array(let many)?: allowed = many.compactMap(\.stringValue)
        default: return nil
        }
        let matches = allowed.contains { kind in
            switch (kind, value) {
            case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
                ("number", .integer), ("number", .number), ("integer", .integer):
                true
            case ("integer", .number(let number)):
                number.rounded() == number
            default:
                false
            }
        }
        guard !matches else { return nil }
        let location = path.text
        let name = Self.name(location)
        if value.isNull { return issue(location, .invalidType, "\(name) must not be null; leave it out instead.") }
        return issue(location, .invalidType, "\(name) must be \(allowed.joined(separator: " or ")), not \(value.typeName).")
    }

    private func stringIssue(_ text: String, _ keywords: [String: JSONValue], path: Location) -> ValidationIssue? {
        guard let (code, message) = stringProblem(text, keywords) else { return nil }
        return issue(path.text, code, "\(Self.name(path.text)) \(message)")
    }

    /// What is wrong with a string, as a message's ending after the value's name.
    private func stringProblem(_ text: String, _ keywords: [String: JSONValue]) -> (ValidationCode, String)? {
        let length = text.unicodeScalars.count
        if let maximum = keywords["maxLength"]?.integerValue, length > maximum {
            return (.tooLong, "must be at most \(maximum) characters.")
        }
        if let minimum = keywords["minLength"]?.integerValue, length < minimum {
            return (.invalidValue, "must have at least \(minimum) characters.")
        }
        if case .string(let pattern)? = keywords["pattern"], !document.matches(text, pattern: pattern) {
            return (.invalidValue, "does not have the required form.")
        }
        switch keywords["format"]?.stringValue {
        case "uuid"? where UUID(text: text) == nil:
            return (.invalidValue, "must be a UUID.")
        case "date"? where LocalDate(text) == nil:
            return (.invalidValue, "must be a date YYYY-MM-DD.")
        default:
            return nil
        }
    }

    private func numberIssue(_ number: Double, _ keywords: [String: JSONValue], path: Location) -> ValidationIssue? {
        let minimum = keywords["minimum"]?.numberValue
        let maximum = keywords["maximum"]?.numberValue
        guard number < (minimum ?? -.infinity) || number > (maximum ?? .infinity) else { return nil }
        let range =
            switch (minimum, maximum) {
            case (let low?, let high?): "between \(Self.text(.number(low))) and \(Self.text(.number(high)))"
            case (let low?, nil): "at least \(Self.text(.number(low)))"
            case (nil, let high?): "at most \(Self.text(.number(high)))"
            case (nil, nil): ""
            }
        return issue(path.text, .outOfRange, "\(Self.name(path.text)) must be \(range).")
    }

    private func arrayIssue(_ elements: [JSONValue], _ keywords: [String: JSONValue], path: Location)
        -> ValidationIssue?
    {
        if let minimum = keywords["minItems"]?.integerValue, elements.count < minimum {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must have at least \(minimum) element(s).")
        }
        if let maximum = keywords["maxItems"]?.integerValue, elements.count > maximum {
            return issue(path.text, .outOfRange, "\(Self.name(path.text)) must have at most \(maximum) elements.")
        }
        guard let items = keywords["items"] else { return nil }
        let schema = JSONSchema(node: items, document: document)
        for (index, element) in elements.enumerated() {
            if let issue = schema.firstIssue(of: element, path: .element(path, index)) { return issue }
        }
        return nil
    }

    private func objectIssue(_ members: [String: JSONValue], _ keywords: [String: JSONValue], path: Location)
        -> ValidationIssue?
    {
        func child(_ key: String) -> String { Location.member(path, key).text }
        let properties: [String: JSONValue]
        if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
        if case .array(let required)? = keywords["required"] {
            for key in required.compactMap(\.stringValue) where members[key] == nil {
                return issue(child(key), .missingField, "\(child(key)) is required.")
            }
        }
        let names = keywords["propertyNames"].map { JSONSchema(node: $0, document: document) }
        for key in members.keys.sorted() {
            if let names, let problem = names.firstIssue(of: .string(key), path: .member(path, key)) {
                return issue(problem.field, .invalidValue, "The name \(child(key)) is not accepted.")
            }
            let value = members[key]!
            if let property = properties[key] {
                if let issue = JSONSchema(node: property, document: document).firstIssue(of: value, path: .member(path, key)) {
                    return issue
                }
                continue
            }
            switch keywords["additionalProperties"] {
            case .bool(false)?:
                return issue(child(key), .unknownField, "\(child(key)) is not a field of this request.")
            case .object(let schema)?:
                if let issue = JSONSchema(node: .object(schema), document: document).firstIssue(of: value, path: .member(path, key)) {
                    return issue
                }
            default:
                continue
            }
        }
        return nil
    }

    private func issue(_ field: String, _ code: ValidationCode, _ message: String) -> ValidationIssue {
        ValidationIssue(field: field, code: code, message: message)
    }

    private static func text(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func list(_ values: [JSONValue]) -> String {
        values.map(text).joined(separator: ", ")
    }
}
