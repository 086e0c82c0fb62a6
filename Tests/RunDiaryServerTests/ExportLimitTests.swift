import Foundation
import HTTPTypes
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

/// Issue 15 §2: exports are capped per account and per share link; the next one goes through once one ends.
///
/// The running exports are held still by a lock on `runs` that the test takes: each export has its slot and waits
/// in its snapshot's query of the runs, so the test knows exactly how many are running without timing anything.
/// Each request has a connection of its own, so that they are in flight together.
@Suite("Export concurrency caps")
struct ExportLimitTests {
    /// Waits until `count` backends wait for a lock (the held exports), polling the catalog.
    static func waitForBlockedExports(_ count: Int, database: PostgresClient) async throws {
        for _ in 0..<600 {
            let rows = try await database.query(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
            if try rows.single().decode(Int64.self, at: 0) >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("the exports never reached their lock wait")
    }

    @Test("the N+1th concurrent export of an account is 429 too_many_exports with Retry-After; the next passes after they end")
    func accountCap() async throws {
        try await TestServer.run(configure: { $0.maxConcurrentExportsPerAccount = 2 }) { server in
            let session = try await server.signIn(email: "cap@example.org")
            _ = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let other = try await server.signIn(email: "other-cap@example.org")
            try await server.database.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
                let held = (0..<2).map { _ in
                    Task { try await server.getConcurrently("/v1/export?format=csv", token: session.token) }
                }
                try await Self.waitForBlockedExports(2, database: server.database)
                let refused = try await server.getConcurrently("/v1/export?format=html", token: session.token)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(refused.json["code"] as? String == "too_many_exports")
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                // Another account is not held back by this one's exports.
                let otherTask = Task { try await server.getConcurrently("/v1/export?format=fhir", token: other.token) }
                try await Self.waitForBlockedExports(3, database: server.database)
                try await connection.execute("COMMIT")
                for task in held { #expect(try await task.value.status == .ok) }
                #expect(try await otherTask.value.status == .ok)
            }
            let next = try await server.send(.get, "/v1/export?format=html", token: session.token)
            #expect(next.status == .ok)
            #expect(next.text.contains("<section id=\"summary\">"))
        }
    }

    @Test("the N+1th concurrent open of a share link is 429 and uses up no view; the link opens again afterwards")
    func shareCap() async throws {
        try await TestServer.run(configure: { $0.maxConcurrentExportsPerShare = 2 }) { server in
            let session = try await server.signIn(email: "share-cap@example.org")
            _ = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let created = try await server.send(
                .post, "/v1/shares", token: session.token, raw: Data(#"{"label": "PT", "max_views": 4}"#.utf8))
            let url = try #require(created.json["url"] as? String)
            let path = try #require(URL(string: url)).path
            let shareID = try #require(created.json["id"] as? String)
            try await server.database.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
                let held = [
                    Task { try await server.getConcurrently(path) },
                    Task { try await server.getConcurrently(path + "/report.pdf") },
                ]
                try await Self.waitForBlockedExports(2, database: server.database)
                let refused = try await server.getConcurrently(path + "/fhir")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.json["code"] as? String == "too_many_exports")
                #expect(refused.headers[.retryAfter] != nil)
                #expect(refused.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                try await connection.execute("COMMIT")
                for task in held { #expect(try await task.value.status == .ok) }
            }
            // Two views used, the refused open not counted nor logged: two left.
            let accesses = try await server.send(.get, "/v1/shares/\(shareID)/accesses", token: session.token)
            #expect((accesses.json["accesses"] as? [[String: Any]])?.compactMap { $0["format"] as? String }.sorted() == ["html", "pdf"])
            #expect(try await server.send(.get, path + "/fhir").status == .ok)
            #expect(try await server.send(.get, path + "/export.zip").status == .ok)
            #expect(try await server.send(.get, path).status == .notFound)
        }
    }
}
