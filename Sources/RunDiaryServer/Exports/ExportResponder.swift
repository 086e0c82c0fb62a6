import Foundation
import HTTPTypes
import Hummingbird
import RunDiaryExports
import RunDiaryStore

/// Answers an export request with the export streamed as the response body, within the concurrency caps.
///
/// Validation, authorisation and the slot happen before the response starts; a database failure after that can
/// only cut the body short, and the client sees an incomplete file rather than a wrong one.
struct ExportResponder: Sendable {
    let store: DiaryExportStore
    let slots: ExportSlots

    /// Seconds a client is asked to wait before trying again when a cap is reached.
    static let retryAfterSeconds = 2

    /// A slot for an export of `account`'s diary (through `share`, for a share link), or 429 `too_many_exports`.
    func slot(account: UUID, share: UUID? = nil, headers extra: HTTPFields = [:]) throws -> ExportSlot {
        guard let slot = slots.acquire(account: account, share: share) else {
            var headers = extra
            headers[.retryAfter] = String(Self.retryAfterSeconds)
            let limit = share == nil ? "\(slots.perAccount) per account" : "\(slots.perShare) per link and \(slots.perAccount) per account"
            throw APIError(
                .tooManyRequests, code: "too_many_exports",
                detail: "Too many exports are running at once (at most \(limit)); try again in a moment.", headers: headers)
        }
        return slot
    }

    /// The export as a streamed response that gives `slot` back when the body is written (or dropped).
    func response(_ format: ExportFormat, scope: ExportScope, slot: ExportSlot, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: format.contentType]
        if let fileName = format.fileName {
            headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        }
        headers.append(contentsOf: extra)
        let store = self.store
        let body = ResponseBody { writer in
            defer { slot.release() }
            let sink = ResponseSink(writer: writer)
            try await store.withSnapshot(of: scope) { snapshot in
                try await DiaryExport.render(format, snapshot: snapshot, to: sink)
            }
            try await sink.flush()
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
