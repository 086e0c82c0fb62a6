import Foundation
import HTTPTypes
import RunDiaryModels

/// The one file of a `multipart/form-data` upload (RFC 7578): the part named `file` (with or without a filename), or
/// else the first part with a filename. Other parts are ignored; nothing is buffered beyond the body the caller has already limited.
struct MultipartUpload {
    let filename: String
    let data: Data

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let type = parameters.first, type.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value =
                pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The file in `body`, or an ``APIError`` saying what is wrong with the request.
    init(body: Data, boundary: String) throws {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw APIError(.badRequest, code: "malformed_multipart", detail: "The body has no part with the declared boundary.")
        }
        var fallback: MultipartUpload?
        let nextDelimiter = Data("\r\n--\(boundary)".utf8)
        while true {
            // After a delimiter: "--" ends the body, else CRLF and the part's headers.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard let headerEnd = body.range(of: separator, in: cursor..<body.endIndex),
                let partEnd = body.range(of: nextDelimiter, in: headerEnd.upperBound..<body.endIndex)
            else {
                throw APIError(.badRequest, code: "malformed_multipart", detail: "A part of the body does not end.")
            }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            let disposition = Self.disposition(headers)
            let data = Data(body[headerEnd.upperBound..<partEnd.lowerBound])
            if disposition.name == "file" {
                // The part the document names; a filename is optional (RFC 7578 §4.2), its results say "file" then.
                self = MultipartUpload(filename: disposition.filename ?? "file", data: data)
                return
            }
            if let filename = disposition.filename, fallback == nil {
                fallback = MultipartUpload(filename: filename, data: data)
            }
            cursor = partEnd.upperBound
        }
        guard let fallback else {
            throw APIError(
                .unprocessableContent, code: "missing_field", detail: "The upload has no file part (name \"file\").",
                errors: [.init(field: "file", code: .missingField, message: "A file is required.")])
        }
        self = fallback
    }

    private init(filename: String, data: Data) {
        self.filename = filename
        self.data = data
    }

    /// `name` and `filename` of a part's Content-Disposition header; only the last path component of a filename.
    private static func disposition(_ headers: String) -> (name: String?, filename: String?) {
        // "\r\n" is one Character in Swift: split on newlines, not on "\r" or "\n".
        for line in headers.split(whereSeparator: \.isNewline) where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?
            var filename: String?
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                let value =
                    pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                    ? String(pair[1].dropFirst().dropLast()) : pair[1]
                switch pair[0].lowercased() {
                case "name": name = value
                case "filename":
                    let base = value.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
                    filename = base.isEmpty ? "upload" : String(base.prefix(200))
                default: break
                }
            }
            return (name, filename)
        }
        return (nil, nil)
    }
}
