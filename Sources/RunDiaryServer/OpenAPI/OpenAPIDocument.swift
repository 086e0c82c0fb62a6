import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import RunDiaryModels

/// The OpenAPI document the server serves at `/openapi.json`, read once, and what it says each operation accepts:
/// its parameters and its JSON request body. ``RequestValidationMiddleware`` holds every request to it, so the
/// document is the one statement of those rules and the server can never accept what it forbids.
final class OpenAPIDocument: Sendable {
    /// One operation's input rules.
    struct Operation: Sendable {
        struct Parameter: Sendable {
            let name: String
            let location: String
            let isRequired: Bool
            let schema: JSONSchema
            /// The route reports a bad value itself (`x-rundiary-checked-by-route`): share tokens and record ids,
            /// whose answer must be the route's uniform 404.
            let isCheckedByRoute: Bool
            /// The status and code of a bad value (`x-rundiary-status`, `x-rundiary-code`), when not 422 and the
            /// issue's own code; the code of a missing one (`x-rundiary-missing-code`).
            let status: Int?
            let code: String?
            let missingCode: String?
        }

        let parameters: [Parameter]
        /// The schema of an `application/json` body, if the operation takes one.
        let jsonBody: JSONSchema?
    }

    /// The document's bytes, as served.
    let bytes: [UInt8]
    private let root: [String: JSONValue]
    /// Operations by method and path template (`GET /v1/devices/{id}`).
    private let operations: NIOLockedValueBox<[String: Operation]>
    /// Every `pattern` of the document, compiled once.
    private let patterns: [String: Pattern]
    /// Every `$ref` of the document and the schema it names, resolved once (a request's check follows several per
    /// value: each text field's `AcceptedText`).
    private let references: [String: JSONValue]
    /// The same schemas with their keywords read (``JSONSchema/Node``), for checking values.
    private let compiledReferences: [String: JSONSchema.Node]

    /// The document shipped in this module's resources.
    static let bundled: OpenAPIDocument? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }
        .flatMap { try? OpenAPIDocument(bytes: Array($0)) }

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        guard case .object(let root) = try JSONValue(parsing: bytes) else {
            throw DocumentError("the OpenAPI document is not a JSON object")
        }
        self.root = root
        self.patterns = try Self.compilePatterns(in: .object(root))
        self.references = Self.resolveReferences(in: root)
        self.compiledReferences = references.mapValues(JSONSchema.Node.init)
        self.operations = NIOLockedValueBox([:])
        var operations: [String: Operation] = [:]
        guard case .object(let paths)? = root["paths"] else { throw DocumentError("the document has no paths") }
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            let shared = methods["parameters"]?.arrayValue ?? []
            for (method, operation) in methods where method != "parameters" {
                guard case .object(let fields) = operation else { continue }
                operations["\(method.uppercased()) \(path)"] = try self.operation(fields, shared: shared)
            }
        }
        self.operations.withLockedValue { $0 = operations }
    }

    /// The operation routed at `path` (a router path template) for `method`.
    func operation(_ method: HTTPRequest.Method, path: String) -> Operation? {
        operations.withLockedValue { $0["\(method.rawValue) \(path)"] }
    }

    /// The schema a `#/…` reference names.
    func resolve(_ reference: String) -> JSONValue? {
        references[reference] ?? Self.follow(reference, from: root)
    }

    /// The schema a `#/…` reference names, its keywords read.
    func compiledSchema(for reference: String) -> JSONSchema.Node? {
        compiledReferences[reference] ?? resolve(reference).map(JSONSchema.Node.init)
    }

    /// Follows a JSON pointer within the document (`#/components/schemas/Run`; `~1` is `/`, `~0` is `~`).
    private static func follow(_ reference: String, from root: [String: JSONValue]) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue = .object(root)
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard case .object(let members) = node, let next = members[key] else { return nil }
            node = next
        }
        return node
    }

    private static func resolveReferences(in root: [String: JSONValue]) -> [String: JSONValue] {
        var found: [String: JSONValue] = [:]
        func walk(_ node: JSONValue) {
            switch node {
            case .object(let members):
                if case .string(let reference)? = members["$ref"], found[reference] == nil {
                    found[reference] = follow(reference, from: root)
                }
                members.values.forEach(walk)
            case .array(let elements):
                elements.forEach(walk)
            default:
                break
            }
        }
        walk(.object(root))
        return found
    }

    /// Whether `text` matches the ECMA-262 `pattern` somewhere (JSON Schema patterns are not anchored by default).
    func matches(_ text: String, pattern: String) -> Bool {
        guard let compiled = patterns[pattern] else { return true }
        return (try? compiled.regex.firstMatch(in: text)) != nil
    }

    /// A compiled pattern.
    // @unchecked Sendable: a Regex is an immutable value whose matching shares no mutable state between threads;
    // its output type (AnyRegexOutput) is what lacks the Sendable conformance.
    private struct Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    private static func compilePatterns(in node: JSONValue) throws -> [String: Pattern] {
        var found: [String: Pattern] = [:]
        func walk(_ node: JSONValue) throws {
            switch node {
            case .object(let members):
                if case .string(let pattern)? = members["pattern"], found[pattern] == nil {
                    do {
                        found[pattern] = Pattern(regex: try Regex(swiftPattern(pattern)))
                    } catch {
                        throw DocumentError("the pattern \(pattern) does not compile: \(error)")
                    }
                }
                for value in members.values { try walk(value) }
            case .array(let elements):
                for element in elements { try walk(element) }
            default:
                break
            }
        }
        try walk(node)
        return found
    }

    /// ECMA-262 `\uXXXX` escapes in Swift's regex syntax (`\u{XXXX}`); everything the document uses is otherwise
    /// the same in both.
    private static func swiftPattern(_ pattern: String) -> String {
        var result = ""
        var scalars = Array(pattern.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\\", scalars.first == "u", scalars.count >= 5 {
                let hex = String(String.UnicodeScalarView(scalars.dropFirst().prefix(4)))
                if hex.allSatisfy(\.isHexDigit) {
                    result += "\\u{\(hex)}"
                    scalars = scalars.dropFirst(5)
                    continue
                }
            }
            result.unicodeScalars.append(scalar)
            if scalar == "\\", let next = scalars.popFirst() { result.unicodeScalars.append(next) }
        }
        return result
    }

    private func operation(_ fields: [String: JSONValue], shared: [JSONValue]) throws -> Operation {
        var parameters: [Operation.Parameter] = []
        for entry in shared + (fields["parameters"]?.arrayValue ?? []) {
            var node = entry
            if case .object(let members) = entry, case .string(let reference)? = members["$ref"] {
                guard let target = resolve(reference) else { throw DocumentError("unresolved \(reference)") }
                node = target
            }
            guard case .object(let members) = node, case .string(let name)? = members["name"],
                case .string(let location)? = members["in"]
            else { throw DocumentError("a parameter without name or location") }
            parameters.append(
                Operation.Parameter(
                    name: name, location: location, isRequired: members["required"]?.boolValue ?? (location == "path"),
                    schema: JSONSchema(node: members["schema"] ?? .object([:]), document: self),
                    isCheckedByRoute: members["x-rundiary-checked-by-route"]?.boolValue ?? false,
                    status: members["x-rundiary-status"]?.integerValue.map(Int.init),
                    code: members["x-rundiary-code"]?.stringValue, missingCode: members["x-rundiary-missing-code"]?.stringValue))
        }
        var body: JSONSchema?
        if case .object(let requestBody)? = fields["requestBody"], case .object(let content)? = requestBody["content"],
            case .object(let json)? = content["application/json"], let schema = json["schema"]
        {
            body = JSONSchema(node: schema, document: self)
        }
        return Operation(parameters: parameters, jsonBody: body)
    }

    struct DocumentError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
