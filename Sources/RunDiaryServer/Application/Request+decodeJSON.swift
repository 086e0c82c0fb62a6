import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import RunDiaryModels

extension Request {
    /// Reads the body (at most `limit` bytes) and decodes it as JSON.
    ///
    /// Too large → 413 `payload_too_large`; not JSON → 400 `malformed_json`; JSON of the wrong shape → 422 with the
    /// field path (`missing_field`, `invalid_type`, `invalid_value`).
    func decodeJSON<Value: Decodable>(_: Value.Type, limit: Int) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", detail: "The request body is larger than \(limit) bytes.")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }
}

extension APIError {
    /// Maps a decoding failure to 400 (not JSON at all) or 422 (JSON, but not the expected shape).
    init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, appending key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = APIError(.badRequest, code: "malformed_json", detail: "The request body is not valid JSON.")
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
            self = APIError(
                .unprocessableContent, code: "invalid_type", detail: "\(field) must be of type \(type).",
                errors: [ValidationIssue(field: field, code: .invalidType, message: "\(field) must be of type \(type).")])
        case .dataCorrupted(let context):
            let field = path(context)
            self = APIError(
                .unprocessableContent, code: "invalid_value", detail: "\(field): \(context.debugDescription)",
                errors: [ValidationIssue(field: field, code: .invalidValue, message: context.debugDescription)])
        @unknown default:
            self = APIError(.badRequest, code: "malformed_json", detail: "The request body could not be read.")
        }
    }
}
