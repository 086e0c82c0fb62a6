import Foundation

/// Why a push body as a whole cannot be taken: the first problem found, with the path of the field at fault.
public struct PushRequestError: Error, Hashable, Sendable {
    public let issue: ValidationIssue

    init(_ field: String, _ code: ValidationCode, _ message: String) {
        issue = ValidationIssue(field: field, code: code, message: message)
    }
}

extension PushRequest {
    /// Reads a push body parsed with ``JSONValue/init(parsing:)``, checking what makes a batch well formed.
    ///
    /// A batch is refused whole when its shape is wrong or its mutation ids are not usable: each `mutation_id` must
    /// be a JSON integer of at least 1, greater than the one before it in the batch (a device numbers its mutations
    /// 1, 2, 3, … and never reuses a number). Within a well-formed batch, `entity`, `op` and `hlc` are read as the
    /// text sent (a value of another JSON type becomes its JSON text), so that one bad mutation gets its own
    /// verdict instead of failing the batch.
    public init(json: JSONValue) throws(PushRequestError) {
        guard case .object(let body) = json else {
            throw PushRequestError("", .invalidType, "The body must be a JSON object.")
        }
        switch body["schema_version"] {
        case .integer(let version)?:
            guard let version = Int(exactly: version) else {
                throw PushRequestError("schema_version", .outOfRange, "schema_version is out of range.")
            }
            schemaVersion = version
        case nil, .null?:
            throw PushRequestError("schema_version", .missingField, "schema_version is required.")
        case let value?:
            throw PushRequestError("schema_version", .invalidType, "schema_version must be an integer, not \(value.typeName).")
        }
        guard case .array(let elements)? = body["mutations"] else {
            if body["mutations"] == nil || body["mutations"] == .null {
                throw PushRequestError("mutations", .missingField, "mutations is required.")
            }
            throw PushRequestError("mutations", .invalidType, "mutations must be an array.")
        }
        var mutations: [Mutation] = []
        mutations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let mutation = try Mutation(json: element, path: "mutations[\(index)]")
            if let previous = mutations.last, mutation.mutationID <= previous.mutationID {
                throw PushRequestError(
                    "mutations[\(index)].mutation_id", .outOfRange,
                    "mutation_id must be greater than the mutation_id before it (\(previous.mutationID)): a device "
                        + "numbers its mutations in increasing order and never reuses a number.")
            }
            mutations.append(mutation)
        }
        self.mutations = mutations
    }
}

extension Mutation {
    /// The smallest mutation id a device may use.
    public static let firstMutationID: Int64 = 1

    /// Reads one mutation of a push body; `path` names it in errors (`mutations[3]`).
    init(json: JSONValue, path: String) throws(PushRequestError) {
        guard case .object(let members) = json else {
            throw PushRequestError(path, .invalidType, "\(path) must be an object, not \(json.typeName).")
        }
        switch members["mutation_id"] {
        case .integer(let value)?:
            guard value >= Self.firstMutationID else {
                throw PushRequestError(
                    "\(path).mutation_id", .outOfRange,
                    "mutation_id must be at least \(Self.firstMutationID): a device numbers its mutations from 1.")
            }
            mutationID = value
        case nil, .null?:
            throw PushRequestError("\(path).mutation_id", .missingField, "\(path).mutation_id is required.")
        case let value?:
            throw PushRequestError(
                "\(path).mutation_id", .invalidType, "mutation_id must be an integer, not \(value.typeName).")
        }
        switch members["id"] {
        case .string(let text)?:
            guard let id = UUID(text: text) else {
                throw PushRequestError("\(path).id", .invalidValue, "id must be a UUID.")
            }
            self.id = id
        case nil, .null?:
            throw PushRequestError("\(path).id", .missingField, "\(path).id is required.")
        case let value?:
            throw PushRequestError("\(path).id", .invalidType, "id must be a UUID string, not \(value.typeName).")
        }
        rawEntity = Self.text(of: members["entity"])
        rawOp = Self.text(of: members["op"])
        rawHLC = Self.text(of: members["hlc"])
        switch members["base_version"] {
        case nil, .null?:
            baseVersion = nil
        case .integer(let value)?:
            guard value >= 0 else {
                throw PushRequestError("\(path).base_version", .outOfRange, "base_version must not be negative.")
            }
            baseVersion = value
        case let value?:
            throw PushRequestError(
                "\(path).base_version", .invalidType, "base_version must be an integer, not \(value.typeName).")
        }
        switch members["fields"] {
        case nil, .null?:
            fields = nil
        case .object(let values)?:
            fields = values
        case let value?:
            throw PushRequestError("\(path).fields", .invalidType, "fields must be an object, not \(value.typeName).")
        }
    }

    /// The text sent for `entity`, `op` or `hlc`: a string as is, another JSON value as its JSON text, absent as "".
    private static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case nil: return ""
        case let value?:
            var bytes: [UInt8] = []
            value.appendJSON(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
