import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import RunDiaryModels

extension Request {
    /// Reads a JSON body (at most `limit` bytes) as a value, refusing what the service does not accept.
    ///
    /// Not declared as JSON → 415 `unsupported_media_type`; too large → 413 `payload_too_large`; a body that could
    /// not be read (malformed chunked encoding, a connection cut short) → 400 `malformed_body`; not JSON → 400
    /// `malformed_json`; a key twice in one object → 422 `duplicate_key`; nested too deep → 422 `too_deep`; text the
    /// service does not accept anywhere, keys included → 422 `invalid_value` with the path (``AcceptedText``).
    /// A body the route's OpenAPI schema forbids → 422 with the field (``RequestValidationMiddleware``).
    func parseJSONBody(context: AppRequestContext, limit: Int, checkingText: Bool = true) async throws -> JSONValue {
        try requireJSONContentType()
        let buffer = try await collectBody(limit: limit)
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(buffer: buffer))
        } catch {
            throw APIError(parsing: error)
        }
        if checkingText, let issue = value.firstTextIssue(at: "") {
            throw APIError.invalid(issue)
        }
        if let issue = context.requestBodySchema?.firstIssue(of: value, at: "") {
            throw APIError.invalid(issue)
        }
        return value
    }

    /// Reads a JSON body (see ``parseJSONBody(context:limit:checkingText:)``) and decodes it as `Value`; JSON of
    /// the wrong shape → 422 with the field path (`missing_field`, `invalid_type`, `invalid_value`).
    func decodeJSON<Value: Decodable>(_: Value.Type, context: AppRequestContext, limit: Int) async throws -> Value {
        let value = try await parseJSONBody(context: context, limit: limit)
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }

    /// 415 unless the body is declared as JSON (`application/json` or a `+json` type, any parameters).
    func requireJSONContentType() throws {
        let declared = headers[.contentType]?.split(separator: ";").first.map { HeaderText.trimmed($0).lowercased() }
        guard let declared, declared == "application/json" || (declared.hasPrefix("application/") && declared.hasSuffix("+json"))
        else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                detail: "The body must be JSON, sent with Content-Type: application/json.",
                headers: [.accept: "application/json"])
        }
    }

    /// Collects at most `limit` bytes of body.
    func collectBody(limit: Int) async throws -> ByteBuffer {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError(
                .badRequest, code: "malformed_body", detail: "The request body could not be read (malformed framing).")
        }
    }
}

extension APIError {
    /// 413 `payload_too_large`.
    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", detail: "The request body is larger than \(limit) bytes.")
    }

    /// Maps a strict-parse failure to 400 (not JSON) or 422 (JSON the service refuses).
    init(parsing error: JSONParseError) {
        switch error.kind {
        case .malformed:
            self = APIError(.badRequest, code: "malformed_json", detail: "The request body is not valid JSON.")
        case .duplicateKey:
            let message = "\(error.path) appears twice in the same object."
            self = APIError(
                .unprocessableContent, code: "duplicate_key", detail: message,
                errors: [ValidationIssue(field: error.path, code: .init(rawValue: "duplicate_key"), message: message)])
        case .tooDeep:
            self = APIError(
                .unprocessableContent, code: "too_deep",
                detail: "The body nests arrays and objects deeper than \(JSONValue.maximumDepth) levels.")
        }
    }

    /// Maps a decoding failure of a strictly parsed body to 422 (JSON, but not the expected shape).
    init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, appending key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, appending: key)
            self = APIError(
                .unprocessableContent, code: "missing_field", detail: "\(field) is required.",
                errors: [ValidationIssue(field: field, code: .missingField, message: "\(field) is required.")])
        case .valueNotFound(_, let context):
            let field = path(context)
            self = APIError(
                .unprocessableContent, code: "missing_field", detail: "\(field) must not be null.",
                errors: [ValidationIssue(field: field, code: .missingField, message: "\(field) must not be null.")])
        case .typeMismatch(let type, let context):
            let field = path(context)
            let name = field.isEmpty ? "The body" : field
            self = APIError(
                .unprocessableContent, code: "invalid_type", detail: "\(name) must be of type \(type).",
                errors: [ValidationIssue(field: field, code: .invalidType, message: "\(name) must be of type \(type).")])
        case .dataCorrupted(let context):
            let field = path(context)
            self = APIError(
                .unprocessableContent, code: "invalid_value", detail: "\(field): \(context.debugDescription)",
                errors: [ValidationIssue(field: field, code: .invalidValue, message: context.debugDescription)])
        @unknown default:
            self = APIError(.unprocessableContent, code: "invalid_value", detail: "The request body could not be read.")
        }
    }
}
