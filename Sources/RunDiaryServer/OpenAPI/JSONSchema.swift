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
    /// The schema's keywords, read once: a request's check walks these instead of looking each keyword up by name in
    /// every value's schema (that was 9 % of the server's CPU in a push of 100 mutations).
    private let compiled: Node

    init(node: JSONValue, document: OpenAPIDocument) {
        self.node = node
        self.document = document
        self.compiled = Node(node)
    }

    /// One schema's keywords, as ``check(_:path:)`` reads them; `$ref`s stay names, followed when a value is checked
    /// (``OpenAPIDocument/compiledSchema(for:)``), so recursive schemas compile.
    final class Node: Sendable {
        /// Whether the schema is an object of keywords (anything else accepts every value).
        let isObject: Bool
        let reference: String?
        let allOf: [Node]
        /// `type`, a name or a list; nil when absent.
        let types: [String]?
        let allowed: [JSONValue]?
        let constant: JSONValue?
        let maxLength: Int64?
        let minLength: Int64?
        let pattern: String?
        let format: String?
        let minimum: Double?
        let maximum: Double?
        let minItems: Int64?
        let maxItems: Int64?
        let items: Node?
        let properties: [String: Node]
        let required: [String]
        let propertyNames: Node?
        let additionalProperties: Additional
        /// `x-rundiary-code`: the problem code this schema's violations carry.
        let code: String?

        enum Additional: Sendable {
            case allowed
            case forbidden
            case schema(Node)
        }

        init(_ node: JSONValue) {
            let keywords: [String: JSONValue]
            if case .object(let members) = node {
                keywords = members
                isObject = true
            } else {
                keywords = [:]
                isObject = false
            }
            reference = keywords["$ref"]?.stringValue
            if case .array(let parts)? = keywords["allOf"] { allOf = parts.map(Node.init) } else { allOf = [] }
            switch keywords["type"] {
            case .string(let one)?: types = [one]
            case .array(let many)?: types = many.compactMap(\.stringValue)
            default: types = nil
            }
            if case .array(let values)? = keywords["enum"] { allowed = values } else { allowed = nil }
            constant = keywords["const"]
            maxLength = keywords["maxLength"]?.integerValue
            minLength = keywords["minLength"]?.integerValue
            pattern = keywords["pattern"]?.stringValue
            format = keywords["format"]?.stringValue
            minimum = keywords["minimum"]?.numberValue
            maximum = keywords["maximum"]?.numberValue
            minItems = keywords["minItems"]?.integerValue
            maxItems = keywords["maxItems"]?.integerValue
            items = keywords["items"].map(Node.init)
            if case .object(let declared)? = keywords["properties"] {
                properties = declared.mapValues(Node.init)
            } else {
                properties = [:]
            }
            if case .array(let names)? = keywords["required"] { required = names.compactMap(\.stringValue) } else { required = [] }
            propertyNames = keywords["propertyNames"].map(Node.init)
            switch keywords["additionalProperties"] {
            case .bool(false)?: additionalProperties = .forbidden
            case .object(let schema)?: additionalProperties = .schema(Node(.object(schema)))
            default: additionalProperties = .allowed
            }
            code = keywords["x-rundiary-code"]?.stringValue
        }
    }

    /// The first problem of `value` against this schema, located at `path` (`device.name`, `include[1]`). A schema
    /// may name the problem code its violations carry with `x-rundiary-code` (e.g. `unsupported_schema_version`).
    func firstIssue(of value: JSONValue, at path: String) -> ValidationIssue? {
        firstIssue(of: value, against: compiled, path: .named(path))
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

    private func firstIssue(of value: JSONValue, against schema: Node, path: Location) -> ValidationIssue? {
        guard let issue = check(value, against: schema, path: path) else { return nil }
        guard let code = schema.code else { return issue }
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

    private func check(_ value: JSONValue, against schema: Node, path: Location) -> ValidationIssue? {
        guard schema.isObject else { return nil }
        if let reference = schema.reference {
            guard let target = document.compiledSchema(for: reference) else { return nil }
            return firstIssue(of: value, against: target, path: path)
        }
        for part in schema.allOf {
            if let issue = firstIssue(of: value, against: part, path: path) { return issue }
        }
        if let issue = typeIssue(value, schema.types, path: path) { return issue }
        if let allowed = schema.allowed, !allowed.contains(value) {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must be one of \(Self.list(allowed)).")
        }
        if let constant = schema.constant, constant != value {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must be \(Self.text(constant)).")
        }
        switch value {
        case .string(let text):
            return stringIssue(text, schema, path: path)
        case .integer, .number:
            return numberIssue(value.numberValue ?? 0, schema, path: path)
        case .array(let elements):
            return arrayIssue(elements, schema, path: path)
        case .object(let members):
            return objectIssue(members, schema, path: path)
        case .null, .bool:
            return nil
        }
    }

    /// How a message names the value at `path`.
    private static func name(_ path: String) -> String {
        path.isEmpty ? "The body" : path
    }

    private func typeIssue(_ value: JSONValue, _ types: [String]?, path: Location) -> ValidationIssue? {
        guard let allowed = types else { return nil }
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

    private func stringIssue(_ text: String, _ schema: Node, path: Location) -> ValidationIssue? {
        guard let (code, message) = stringProblem(text, schema) else { return nil }
        return issue(path.text, code, "\(Self.name(path.text)) \(message)")
    }

    /// What is wrong with a string, as a message's ending after the value's name.
    private func stringProblem(_ text: String, _ schema: Node) -> (ValidationCode, String)? {
        if schema.maxLength != nil || schema.minLength != nil {
            let length = text.unicodeScalars.count
            if let maximum = schema.maxLength, length > maximum {
                return (.tooLong, "must be at most \(maximum) characters.")
            }
            if let minimum = schema.minLength, length < minimum {
                return (.invalidValue, "must have at least \(minimum) characters.")
            }
        }
        if let pattern = schema.pattern, !document.matches(text, pattern: pattern) {
            return (.invalidValue, "does not have the required form.")
        }
        switch schema.format {
        case "uuid"? where UUID(text: text) == nil:
            return (.invalidValue, "must be a UUID.")
        case "date"? where LocalDate(text) == nil:
            return (.invalidValue, "must be a date YYYY-MM-DD.")
        default:
            return nil
        }
    }

    private func numberIssue(_ number: Double, _ schema: Node, path: Location) -> ValidationIssue? {
        let minimum = schema.minimum
        let maximum = schema.maximum
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

    private func arrayIssue(_ elements: [JSONValue], _ schema: Node, path: Location) -> ValidationIssue? {
        if let minimum = schema.minItems, elements.count < minimum {
            return issue(path.text, .invalidValue, "\(Self.name(path.text)) must have at least \(minimum) element(s).")
        }
        if let maximum = schema.maxItems, elements.count > maximum {
            return issue(path.text, .outOfRange, "\(Self.name(path.text)) must have at most \(maximum) elements.")
        }
        guard let items = schema.items else { return nil }
        for (index, element) in elements.enumerated() {
            if let issue = firstIssue(of: element, against: items, path: .element(path, index)) { return issue }
        }
        return nil
    }

    /// The first issue of an object's members, in key order: members are checked in the map's order first, and sorted
    /// only when one has an issue (almost every request has none).
    private func objectIssue(_ members: [String: JSONValue], _ schema: Node, path: Location) -> ValidationIssue? {
        func child(_ key: String) -> String { Location.member(path, key).text }
        for key in schema.required where members[key] == nil {
            return issue(child(key), .missingField, "\(child(key)) is required.")
        }
        guard members.contains(where: { memberIssue($0.key, $0.value, schema, path: path) != nil }) else { return nil }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if let issue = memberIssue(key, value, schema, path: path) { return issue }
        }
        return nil
    }

    /// The issue of one member of an object, if any.
    private func memberIssue(_ key: String, _ value: JSONValue, _ schema: Node, path: Location) -> ValidationIssue? {
        let child = Location.member(path, key)
        if let names = schema.propertyNames, let problem = firstIssue(of: .string(key), against: names, path: child) {
            return issue(problem.field, .invalidValue, "The name \(child.text) is not accepted.")
        }
        if let property = schema.properties[key] {
            return firstIssue(of: value, against: property, path: child)
        }
        switch schema.additionalProperties {
        case .forbidden:
            return issue(child.text, .unknownField, "\(child.text) is not a field of this request.")
        case .schema(let additional):
            return firstIssue(of: value, against: additional, path: child)
        case .allowed:
            return nil
        }
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
