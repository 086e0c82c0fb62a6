import Foundation
import Postgres
import RunDiaryExports
import RunDiaryModels
import RunDiaryStore
import RunDiaryTestSupport

/// A diary in a database of its own, rendered straight through the export module into memory: no server, no HTTP.
struct ExportedDiary: Sendable {
    let database: PostgresClient
    let userID: UUID

    /// Runs `body` with a migrated database holding one account, named "Runner".
    static func run<Result: Sendable>(_ body: @Sendable (ExportedDiary) async throws -> Result) async throws -> Result {
        try await TestDatabase.withMigratedDatabase { _, database in
            let userID = UUID()
            try await database.execute(
                "INSERT INTO users (id, email, display_name) VALUES (\(userID), \("runner@example.org"), \("Runner"))")
            return try await body(ExportedDiary(database: database, userID: userID))
        }
    }

    /// The export of `scope` (the whole diary by default) in `format`.
    func render(
        _ format: ExportFormat, from: LocalDate? = nil, to: LocalDate? = nil,
        entities: Set<EntityKind> = Set(EntityKind.allCases)
    ) async throws -> Data {
        let sink = MemorySink()
        let scope = ExportScope(userID: userID, from: from, to: to, entities: entities)
        try await DiaryExportStore(client: database).withSnapshot(of: scope) { snapshot in
            try await DiaryExport.render(format, snapshot: snapshot, to: sink)
        }
        return Data(sink.bytes)
    }

    /// The HTML report as text.
    func report(from: LocalDate? = nil, to: LocalDate? = nil) async throws -> String {
        String(decoding: try await render(.html, from: from, to: to), as: UTF8.self)
    }

    /// The FHIR bundle parsed as JSON.
    func bundle() async throws -> (data: Data, json: [String: Any]) {
        let data = try await render(.fhir)
        return (data, (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }
}
