import Foundation
import HTTPTypes
import Hummingbird
import RunDiaryExports
import RunDiaryStore

/// What a share link's holder sees, without an account: `/share/{token}` (the HTML report),
/// `/share/{token}/report.pdf`, `/share/{token}/fhir` and `/share/{token}/export.zip`, each limited to the share's
/// scope, and at most a few at once per link and per account (429 `too_many_exports`).
///
/// An unknown, revoked, expired or used-up token, or one whose owner is disabled, gets the same 404, so the
/// answer tells nothing about which tokens exist. Every answer forbids caching, indexing and referrers (the
/// token is in the URL); the route pattern, not the path, is what the request log records.
struct SharePageController: Sendable {
    let services: AppServices

    static let privacyHeaders: HTTPFields = [
        .cacheControl: "no-store",
        HTTPField.Name("X-Robots-Tag")!: "noindex, nofollow",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    /// The report loads nothing: inline styles and SVG only.
    static let reportPolicy: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let shares = ShareStore(client: services.client)
        let responder = ExportResponder(store: DiaryExportStore(client: services.client), slots: services.exportSlots)
        @Sendable func serve(_ format: ExportFormat, _ request: Request, _ context: AppRequestContext) async throws -> Response {
            let token = context.parameters.get("token") ?? ""
            // The problem responses already carry Cache-Control: no-store.
            var problemHeaders = Self.privacyHeaders
            problemHeaders[.cacheControl] = nil
            let notFound = APIError(
                .notFound, code: "not_found", detail: "This link does not exist or is no longer valid.", headers: problemHeaders)
            // The slot is taken inside the transaction that counts the view: a refused open uses up no view.
            guard
                let (opened, slot) = try await shares.open(
                    token: token, format: format.rawValue, clientAddress: context.clientAddress,
                    userAgent: request.headers[.userAgent],
                    admit: { userID, shareID in try responder.slot(account: userID, share: shareID, headers: problemHeaders) })
            else { throw notFound }
            var headers = Self.privacyHeaders
            if format == .html { headers.append(contentsOf: Self.reportPolicy) }
            return responder.response(format, scope: opened.scope, slot: slot, headers: headers)
        }
        routes.get(":token") { request, context in try await serve(.html, request, context) }
        routes.get(":token/fhir") { request, context in try await serve(.fhir, request, context) }
        routes.get(":token/export.zip") { request, context in try await serve(.zip, request, context) }
        routes.get(":token/report.pdf") { request, context in try await serve(.pdf, request, context) }
        return routes
    }
}
