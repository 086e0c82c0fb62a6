import Foundation
import HTTPTypes
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Share links")
struct ShareTests {
    struct Created: Decodable {
        let id: UUID
        let url: String
        let expires_at: String
    }

    static func create(_ server: TestServer, _ token: String, _ body: [String: Any]) async throws -> TestServer.Reply {
        try await server.send(.post, "/v1/shares", token: token, raw: try JSONSerialization.data(withJSONObject: body))
    }

    /// The path of a share URL (`/share/rds_…`).
    static func path(_ url: String) throws -> String {
        try #require(URL(string: url)).path
    }

    @Test("a share shows only its range and entities, in every format")
    func scopeHoldsInEveryFormat() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "scope@example.org")
            let diary = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let from = SeededDiary.date(day: 14)
            let to = SeededDiary.date(day: 34)
            let reply = try await Self.create(
                server, session.token,
                [
                    "from": from.description, "to": to.description, "include": ["run", "pain_entry"], "label": "For Dr. Lee",
                ])
            #expect(reply.status == .created)
            let created = try reply.decode(Created.self)
            #expect(created.url.hasPrefix("http://127.0.0.1:0/share/rds_") || created.url.contains("/share/rds_"))
            let path = try Self.path(created.url)

            func inRange(_ timestamp: Timestamp) -> Bool { (14...34).contains(SeededDiary.day(of: timestamp)) }
            let inside =
                diary.pain.filter { inRange($0.recordedAt) }.map { $0.id.uuidString.lowercased() }
                + diary.runs.filter { inRange($0.startedAt) }.map { $0.id.uuidString.lowercased() }
            let outside =
                diary.pain.filter { !inRange($0.recordedAt) }.map { $0.id.uuidString.lowercased() }
                + diary.runs.filter { !inRange($0.startedAt) }.map { $0.id.uuidString.lowercased() }
                + diary.logs.map { $0.id.uuidString.lowercased() } + diary.plans.map { $0.id.uuidString.lowercased() }
            #expect(!inside.isEmpty && !outside.isEmpty)

            let html = try await server.send(.get, path)
            #expect(html.status == .ok)
            let fhir = try await server.send(.get, path + "/fhir")
            #expect(fhir.status == .ok)
            try await ExportTestTools.validateFHIR(fhir.body)
            let archive = try await server.send(.get, path + "/export.zip")
            #expect(archive.status == .ok)
            let files = try await ExportTestTools.unzip(archive.body)
            #expect(files["csv/plans.csv"] == nil && files["csv/exercise_logs.csv"] == nil && files["csv/gear.csv"] == nil)
            let csvIDs =
                try ExportTestTools.records(files["csv/runs.csv"]).map { $0["id"] ?? "" }
                + ExportTestTools.records(files["csv/pain_entries.csv"]).map { $0["id"] ?? "" }
            #expect(Set(csvIDs) == Set(inside))

            let texts = [html.text, fhir.text] + files.values.map { String(decoding: $0, as: UTF8.self) }
            for id in inside { #expect(texts[0].contains(id) && texts[1].contains(id)) }
            for text in texts {
                for id in outside { #expect(!text.contains(id), "an entry outside the share appears") }
            }
            #expect(!fhir.text.contains("\"CarePlan\"") && !fhir.text.contains("\"Procedure\""))
            #expect(ExportTestTools.figure("period", in: html.text) == "\(from) – \(to)")
        }
    }

    @Test("revocation, expiry and the view limit take effect at once, with the same 404 as an unknown token")
    func revocationAndExpiry() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "revoke@example.org")
            _ = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let unknown = try await server.send(.get, "/share/rds_" + String(repeating: "A", count: 43))
            #expect(unknown.status == .notFound)
            let garbage = try await server.send(.get, "/share/not-a-token/fhir")

            func expectSameNotFound(_ reply: TestServer.Reply) {
                #expect(reply.status == .notFound)
                #expect(reply.body == unknown.body)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
                #expect(reply.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            expectSameNotFound(garbage)

            // Revoked.
            let revoked = try await Self.create(server, session.token, ["label": "revoke me"]).decode(Created.self)
            #expect(try await server.send(.get, try Self.path(revoked.url)).status == .ok)
            #expect(try await server.send(.delete, "/v1/shares/\(revoked.id)", token: session.token).status == .noContent)
            expectSameNotFound(try await server.send(.get, try Self.path(revoked.url)))
            expectSameNotFound(try await server.send(.get, try Self.path(revoked.url) + "/fhir"))
            expectSameNotFound(try await server.send(.get, try Self.path(revoked.url) + "/export.zip"))

            // Expired.
            let expiring = try await Self.create(server, session.token, ["label": "expire me", "expires_in_hours": 1]).decode(Created.self)
            #expect(try await server.send(.get, try Self.path(expiring.url) + "/fhir").status == .ok)
            try await server.database.execute("UPDATE shares SET expires_at = now() - interval '1 millisecond' WHERE id = \(expiring.id)")
            expectSameNotFound(try await server.send(.get, try Self.path(expiring.url)))

            // Used up.
            let limited = try await Self.create(server, session.token, ["label": "twice", "max_views": 2]).decode(Created.self)
            #expect(try await server.send(.get, try Self.path(limited.url)).status == .ok)
            #expect(try await server.send(.get, try Self.path(limited.url) + "/export.zip").status == .ok)
            expectSameNotFound(try await server.send(.get, try Self.path(limited.url)))

            // The owner's account disabled.
            let live = try await Self.create(server, session.token, ["label": "disabled owner"]).decode(Created.self)
            #expect(try await server.send(.get, try Self.path(live.url)).status == .ok)
            try await server.database.execute("UPDATE users SET disabled_at = now() WHERE id = \(session.userID)")
            expectSameNotFound(try await server.send(.get, try Self.path(live.url)))
        }
    }

    @Test("every access is logged with time, format, client address and user agent")
    func accessesAreLogged() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "audit@example.org")
            _ = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let created = try await Self.create(server, session.token, ["label": "audit"]).decode(Created.self)
            let path = try Self.path(created.url)
            let visits: [(String, String, String)] = [
                ("", "html", "Clinic PC"), ("/fhir", "fhir", "EHR import"), ("/export.zip", "zip", "Phone"),
            ]
            for (suffix, _, agent) in visits {
                #expect(try await server.send(.get, path + suffix, headers: [.userAgent: agent]).status == .ok)
            }
            _ = try await server.send(.get, path + "x")  // not a share route: not an access
            let reply = try await server.send(.get, "/v1/shares/\(created.id)/accesses", token: session.token)
            #expect(reply.status == .ok)
            let accesses = try #require(reply.json["accesses"] as? [[String: Any]])
            #expect(accesses.map { $0["format"] as? String } == visits.map(\.1))
            #expect(accesses.map { $0["user_agent"] as? String } == visits.map(\.2))
            for access in accesses {
                #expect((access["client_address"] as? String)?.isEmpty == false)
                #expect(access["accessed_at"] is String)
            }
            let list = try await server.send(.get, "/v1/shares", token: session.token)
            let shares = try #require(list.json["shares"] as? [[String: Any]])
            #expect(shares.first?["views"] as? Int == 3)
            #expect(shares.first?["state"] as? String == "active")
            #expect(!list.text.contains("rds_"))
        }
    }

    @Test("share responses forbid caching, indexing and referrers")
    func privacyHeaders() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "headers@example.org")
            let created = try await Self.create(server, session.token, ["label": "headers"]).decode(Created.self)
            let path = try Self.path(created.url)
            for suffix in ["", "/report.pdf", "/fhir", "/export.zip"] {
                let reply = try await server.send(.get, path + suffix)
                #expect(reply.status == .ok)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
                #expect(reply.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            let html = try await server.send(.get, path)
            #expect(html.text.contains("<meta name=\"robots\" content=\"noindex"))
            #expect(html.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            let stored = try await server.database.query("SELECT token_hash FROM shares WHERE id = \(created.id)").single()
            let hash = try stored.decode(Data.self, at: 0)
            let token = String(path.dropFirst("/share/".count))
            #expect(hash.count == 32 && !String(decoding: hash, as: UTF8.self).contains(token))
        }
    }

    @Test(
        "creating a share validates its fields",
        arguments: [
            (#"{"label": "x", "expires_in_hours": 721}"#, "out_of_range"),
            (#"{"label": "x", "expires_in_hours": 0}"#, "out_of_range"),
            (#"{"label": "x", "include": ["runs"]}"#, "invalid_value"),
            (#"{"label": "x", "include": []}"#, "invalid_value"),
            (#"{"label": "x", "max_views": 0}"#, "out_of_range"),
            (#"{"label": "x", "from": "2026-02-01", "to": "2026-01-01"}"#, "out_of_range"),
            (#"{"label": "x", "from": "01/02/2026"}"#, "invalid_value"),
            (#"{}"#, "missing_field"),
        ])
    func createValidates(body: String, code: String) async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "validate@example.org")
            let reply = try await server.send(.post, "/v1/shares", token: session.token, raw: Data(body.utf8))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.json["code"] as? String == code)
        }
    }

    @Test("a share expires after a week by default, and only its owner can list, revoke or audit it")
    func defaultsAndOwnership() async throws {
        try await TestServer.run { server in
            let owner = try await server.signIn(email: "mine@example.org")
            let other = try await server.signIn(email: "theirs@example.org")
            let before = Date()
            let created = try await Self.create(server, owner.token, ["label": "default"]).decode(Created.self)
            let expires = try #require(ISO8601DateFormatter().date(from: created.expires_at))
            #expect(abs(expires.timeIntervalSince(before) - 168 * 3600) < 120)
            #expect(try await server.send(.delete, "/v1/shares/\(created.id)", token: other.token).status == .notFound)
            #expect(try await server.send(.get, "/v1/shares/\(created.id)/accesses", token: other.token).status == .notFound)
            let theirs = try await server.send(.get, "/v1/shares", token: other.token)
            #expect((theirs.json["shares"] as? [Any])?.isEmpty == true)
            #expect(try await server.send(.get, try Self.path(created.url)).status == .ok)
            #expect(try await server.send(.get, "/v1/shares").status == .unauthorized)
        }
    }
}
