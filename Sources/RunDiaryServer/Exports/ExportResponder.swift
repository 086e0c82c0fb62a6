import HTTPTypes
import Hummingbird
import RunDiaryExports
import RunDiaryStore

/// Answers an export request with the export streamed as the response body.
///
/// Validation and authorisation happen before the response starts; a database failure after that can only cut the
/// body short, and the client sees an incomplete file rather than a wrong one.
struct ExportResponder: Sendable {
    let store: DiaryExportStore

    func response(_ format: ExportFormat, scope: ExportScope, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: format.contentType]
        if let fileName = format.fileName {
            headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        }
        headers.append(contentsOf: extra)
        let store = self.store
        let body = ResponseBody { writer in
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
