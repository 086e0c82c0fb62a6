import RunDiaryStore

/// Renders an export of a snapshot in a format to a sink.
///
/// The output is written while the rows are read: one snapshot transaction, cursors fetching a batch at a time,
/// and a sink that passes the bytes on as they come, so memory stays bounded by a batch, a chunk and the report's
/// aggregates. A failure part-way leaves the output incomplete, never wrong.
package enum DiaryExport {
    package static func render(_ format: ExportFormat, snapshot: DiarySnapshot, to sink: any ByteSink) async throws {
        switch format {
        case .fhir:
            try await FHIRBundleWriter.write(snapshot, to: sink)
        case .html:
            try await ReportRenderer(snapshot: snapshot, sink: sink).render()
        case .pdf:
            try await ReportPDF(snapshot: snapshot, sink: sink).render()
        case .csv:
            let archive = ZipArchiveWriter(sink: sink)
            try await CSVExport.write(snapshot, into: archive)
            try await archive.finish()
        case .zip:
            let archive = ZipArchiveWriter(sink: sink)
            try await archive.addEntry(named: "README.txt") { try await $0.write(readme) }
            try await archive.addEntry(named: "report.html") { try await ReportRenderer(snapshot: snapshot, sink: $0).render() }
            try await archive.addEntry(named: "report.pdf") { try await ReportPDF(snapshot: snapshot, sink: $0).render() }
            try await archive.addEntry(named: "fhir-bundle.json") { try await FHIRBundleWriter.write(snapshot, to: $0) }
            try await CSVExport.write(snapshot, into: archive, folder: "csv/")
            try await archive.finish()
        }
    }

    static let readme = """
        RunDiary export\r
        \r
        report.html        the report: page one the summary in sentences, one chart and the flags grouped by week;\r
                           then weekly load and pain, next-morning pain, treadmill against outdoor runs, shoe\r
                           mileage, home-exercise adherence, plans, pain entries and form notes\r
        report.pdf         the same report as an A4 PDF\r
        fhir-bundle.json   the same records as a FHIR R4 document Bundle (application/fhir+json)\r
        csv/               one CSV file per kind of record; see csv/README.txt\r

        """
}
