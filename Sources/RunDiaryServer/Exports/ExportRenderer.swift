import Foundation
import Hummingbird
import RunDiaryStore

/// Renders an export of a scope in a format as a streamed response.
///
/// The body is written while the rows are read: one snapshot transaction, cursors fetching a batch at a time, and
/// ``ResponseSink`` sending about 64 KiB at a time, so memory stays bounded by a batch, a chunk and the report's
/// aggregates. Validation and authorisation happen before the response starts; a database failure after that
/// can only cut the body short, and the client sees an incomplete file rather than a wrong one.
struct ExportRenderer: Sendable {
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
                try await Self.render(format, snapshot: snapshot, to: sink)
            }
            try await sink.flush()
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func render(_ format: ExportFormat, snapshot: DiarySnapshot, to sink: any ByteSink) async throws {
        switch format {
        case .fhir:
            try await FHIRBundleWriter.write(snapshot, to: sink)
        case .html:
            try await ReportRenderer(snapshot: snapshot, sink: sink).render()
        case .csv:
            let archive = ZipArchiveWriter(sink: sink)
            try await CSVExport.write(snapshot, into: archive)
            try await archive.finish()
        case .zip:
            let archive = ZipArchiveWriter(sink: sink)
            try await archive.addEntry(named: "README.txt") { try await $0.write(readme) }
            try await archive.addEntry(named: "report.html") { try await ReportRenderer(snapshot: snapshot, sink: $0).render() }
            try await archive.addEntry(named: "fhir-bundle.json") { try await FHIRBundleWriter.write(snapshot, to: $0) }
            try await CSVExport.write(snapshot, into: archive, folder: "csv/")
            try await archive.finish()
        }
    }

    static let readme = """
        RunDiary export\r
        \r
        report.html        the printable report: summary, weekly load and pain, next-morning pain, flags, treadmill\r
                           against outdoor runs, shoe mileage, home-exercise adherence, pain entries and form notes\r
        fhir-bundle.json   the same records as a FHIR R4 document Bundle (application/fhir+json)\r
        csv/               one CSV file per kind of record; see csv/README.txt\r

        """
}
