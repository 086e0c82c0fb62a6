import Foundation
import Postgres
import RunDiaryStore

/// Writes a user's whole diary — report, FHIR bundle and CSVs, every record — as one ZIP file: the data
/// portability export (GDPR Art. 20) that `rundiary user export` gives an administrator.
///
/// The file is created new (an existing file is never overwritten) and streamed as it is rendered, in one snapshot.
package func writeFullExport(userID: UUID, client: PostgresClient, to file: URL) async throws {
    guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
        let handle = try? FileHandle(forWritingTo: file)
    else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
    }
    let sink = FileSink(handle: handle)
    do {
        try await DiaryExportStore(client: client).withSnapshot(of: ExportScope(userID: userID)) { snapshot in
            try await DiaryExport.render(.zip, snapshot: snapshot, to: sink)
        }
        try sink.close()
    } catch {
        try? sink.close()
        try? FileManager.default.removeItem(at: file)
        throw error
    }
}
