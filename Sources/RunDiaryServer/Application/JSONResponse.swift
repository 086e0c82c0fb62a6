import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Encodes a value as a JSON response with ISO-8601 dates.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    return jsonResponse(ByteBuffer(bytes: try encoder.encode(value)), status: status, headers: headers)
}

/// A JSON response of a body already written (the push's and the pull's own writers).
func jsonResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var fields: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
    fields.append(contentsOf: headers)
    return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
}
