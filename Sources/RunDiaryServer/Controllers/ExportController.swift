import Foundation
import Hummingbird
import RunDiaryExports
import RunDiaryModels
import RunDiaryStore

/// `GET /v1/export?format=fhir|csv|html|pdf|zip&from=YYYY-MM-DD&to=YYYY-MM-DD`: the owner's diary in a range
/// (inclusive local dates, both optional), streamed; at most a few at once per account (429 `too_many_exports`).
struct ExportController: Sendable {
    let services: AppServices

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let responder = ExportResponder(store: DiaryExportStore(client: services.client), slots: services.exportSlots)
        routes.get { request, context in
            let identity = try context.requireIdentity()
            let query = request.uri.queryParameters
            let format = try Self.format(query["format"].map(String.init))
            let (from, to) = try Self.range(from: query["from"].map(String.init), to: query["to"].map(String.init))
            let scope = ExportScope(userID: identity.userID, from: from, to: to)
            let slot = try responder.slot(account: identity.userID)
            return responder.response(format, scope: scope, slot: slot, headers: [.cacheControl: "no-store"])
        }
        return routes
    }

    /// `fhir, csv, html, pdf or zip`.
    static let formatList: String = {
        let names = ExportFormat.allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }()

    static func format(_ text: String?) throws -> ExportFormat {
        guard let text else {
            throw APIError(
                .unprocessableContent, code: "missing_format", detail: "format is required: \(formatList).",
                errors: [ValidationIssue(field: "format", code: .missingField, message: "format is required.")])
        }
        guard let format = ExportFormat(rawValue: text) else {
            throw APIError(
                .unprocessableContent, code: "invalid_format", detail: "format must be \(formatList).",
                errors: [ValidationIssue(field: "format", code: .invalidValue, message: "format must be \(formatList).")])
        }
        return format
    }

    /// Parses an optional inclusive date range; bad dates and `from` after `to` are 422 `invalid_date` /
    /// `invalid_range`.
    static func range(from: String?, to: String?) throws -> (LocalDate?, LocalDate?) {
        func date(_ text: String?, field: String) throws -> LocalDate? {
            guard let text, !text.isEmpty else { return nil }
            guard let date = LocalDate(text) else {
                throw APIError(
                    .unprocessableContent, code: "invalid_date", detail: "\(field) must be a date as YYYY-MM-DD.",
                    errors: [ValidationIssue(field: field, code: .invalidValue, message: "\(field) must be a date as YYYY-MM-DD.")])
            }
            return date
        }
        let start = try date(from, field: "from")
        let end = try date(to, field: "to")
        if let start, let end, end < start {
            throw APIError(
                .unprocessableContent, code: "invalid_range", detail: "to must not be before from.",
                errors: [ValidationIssue(field: "to", code: .invalidValue, message: "to must not be before from.")])
        }
        return (start, end)
    }
}
