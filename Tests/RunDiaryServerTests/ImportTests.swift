import Foundation
import HTTPTypes
import RunDiaryImport
import RunDiaryModels
import RunDiaryTestSupport
import Testing

/// `POST /v1/import` against a live server: files made by independent tools, runs written through the sync path as
/// the import device's mutations, pulled by another device.
@Suite("Import over HTTP")
struct ImportTests {
    @Test("A Strava export, a FIT file and a GPX file import, and another device pulls exactly the proposed runs")
    func importedRunsReachOtherDevices() async throws {
        let fixtures = try await ImportFixtures.get()
        try await TestServer.run { server in
            let phone = try await server.signIn(email: "runner@example.org")
            var results: [[String: Any]] = []
            for name in ["strava.zip", "outdoor.fit", "run.gpx"] {
                let reply = try await Self.upload(server, try fixtures.data(name), filename: name, token: phone.token)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(try await SchemaCheck.violations(of: reply.body, schema: "ImportResponse") == nil)
                results += reply.json["results"] as? [[String: Any]] ?? []
            }
            let statuses = Dictionary(results.map { ($0["file"] as! String, $0["status"] as! String) }, uniquingKeysWith: { a, _ in a })
            #expect(statuses.values.filter { $0 == "imported" }.count == 6, "\(statuses)")
            #expect(statuses["strava.zip/activities/10000000003.fit.gz"] == "skipped")

            // Another device pulls the runs and shoes with the values the importer proposes for the same files.
            var tablet = SyncDevice(server: server, session: try await server.signIn(email: "runner@example.org", deviceName: "tablet"))
            try await tablet.pullAll()
            let proposed = RunImporter.read(files: try ["strava.zip", "outdoor.fit", "run.gpx"].map(fixtures.source))
                .flatMap(\.records)
            #expect(Set(proposed.map(\.id)).count == 8, "6 runs and 2 pairs of shoes")
            for record in proposed {
                let pulled = try #require(tablet.records[record.id], "\(record.entity) \(record.id) not pulled")
                #expect(pulled.entity == record.entity)
                #expect(pulled.fields == record.fields, "\(record.id)")
                // Written by the account's import device, with the server's clock: not by the phone.
                let importDevice = ImportIdentity.serverImportDevice(accountID: phone.userID)
                #expect(pulled.clocks.values.allSatisfy { $0.node == importDevice })
            }
            let devices = try await server.send(.get, "/v1/devices", token: phone.token).json["devices"] as? [[String: Any]] ?? []
            #expect(devices.contains { $0["name"] as? String == "server import" })
            let phoneAcknowledged = try await server.database.query(
                "SELECT last_mutation_id FROM devices WHERE user_id = \(phone.userID) AND id = \(phone.deviceID)"
            ).single().decode(Int64.self, at: 0)
            #expect(phoneAcknowledged == 0, "the phone's mutation ids are its own")

            // Importing the same files again changes nothing: every run unchanged, the account's version where it was.
            let before = try await Self.accountVersion(server, phone.userID)
            for name in ["strava.zip", "outdoor.fit", "run.gpx"] {
                let again = try await Self.upload(server, try fixtures.data(name), filename: name, token: phone.token)
                let statuses = (again.json["results"] as? [[String: Any]] ?? []).map { $0["status"] as? String }
                #expect(statuses.allSatisfy { $0 == "unchanged" || $0 == "skipped" }, "\(name): \(again.text)")
                #expect(statuses.contains("unchanged"))
            }
            #expect(try await Self.accountVersion(server, phone.userID) == before)
        }
    }

    @Test("Shoes are matched by name to the diary's own gear")
    func gearIsMatchedByName() async throws {
        let fixtures = try await ImportFixtures.get()
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "shoes@example.org"))
            let mine = UUID()
            _ = try await phone.push([phone.upsert(.gear, mine, ["name": "  PEGASUS 40", "brand": "Nike"])])
            let reply = try await Self.upload(server, try fixtures.data("strava.zip"), filename: "strava.zip", token: phone.session.token)
            #expect(reply.status == .ok)
            try await phone.pullAll()
            let gear = phone.records.values.filter { $0.entity == .gear && !$0.deleted }
            #expect(gear.count == 2, "the phone's Pegasus and the imported Ghost 15")
            #expect(phone.records[mine]?.fields["name"] == .string("  PEGASUS 40"), "the diary's gear is never rewritten")
            let tempo = try #require(phone.records[ImportIdentity.stravaRun(activityID: "10000000001")])
            #expect(tempo.fields["gear_id"] == .string(mine.uuidString.lowercased()))
        }
    }

    @Test("A re-import overwrites a value edited on a device since, and keeps the edit as the conflict's loser")
    func reimportAfterAnEditRecordsAConflict() async throws {
        let fixtures = try await ImportFixtures.get()
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "edit@example.org"))
            let fit = try fixtures.data("outdoor.fit")
            _ = try await Self.upload(server, fit, filename: "outdoor.fit", token: phone.session.token)
            try await phone.pullAll()
            let run = try #require(phone.records.values.first { $0.entity == .run })
            _ = try await phone.push([phone.upsert(.run, run.id, ["distance_m": 10_000], baseVersion: run.version)])
            let again = try await Self.upload(server, fit, filename: "outdoor.fit", token: phone.session.token)
            #expect((again.json["results"] as? [[String: Any]])?.first?["status"] as? String == "updated", "\(again.text)")
            try await phone.pullAll()
            #expect(phone.records[run.id]?.fields["distance_m"] == .number(10234.56))
            let conflicts = try await server.send(.get, "/v1/sync/conflicts", token: phone.session.token)
            let conflict = try #require((conflicts.json["conflicts"] as? [[String: Any]])?.first)
            #expect(conflict["field"] as? String == "distance_m")
            #expect(conflict["losing_value"] as? Double == 10_000)
        }
    }

    @Test("A run deleted in the diary is not brought back by importing its file again")
    func deletedRunsStayDeleted() async throws {
        let fixtures = try await ImportFixtures.get()
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "delete@example.org"))
            let fit = try fixtures.data("treadmill.fit")
            _ = try await Self.upload(server, fit, filename: "treadmill.fit", token: phone.session.token)
            try await phone.pullAll()
            let run = try #require(phone.records.values.first { $0.entity == .run })
            _ = try await phone.push([phone.delete(.run, run.id)])
            let again = try await Self.upload(server, fit, filename: "treadmill.fit", token: phone.session.token)
            let result = try #require((again.json["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "skipped" && result["code"] as? String == "deleted_in_diary", "\(again.text)")
        }
    }

    @Test("Bad files get a per-file refusal; a malformed request gets problem+json")
    func badInputIsAnswered() async throws {
        try await TestServer.run(configure: { $0.maxImportBytes = 4096 }) { server in
            let phone = try await server.signIn(email: "bad@example.org")
            var broken = try await ImportFixtures.get().data("treadmill.fit")
            broken[broken.count / 2] ^= 0x10
            let refused = try await Self.upload(server, broken, filename: "broken.fit", token: phone.token)
            #expect(refused.status == .ok)
            let result = try #require((refused.json["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "refused" && result["code"] as? String == "corrupt", "\(refused.text)")

            let notMultipart = try await server.send(.post, "/v1/import", token: phone.token, raw: broken)
            #expect(notMultipart.status == .unsupportedMediaType && notMultipart.json["code"] as? String == "unsupported_media_type")
            #expect(notMultipart.headers[.contentType] == "application/problem+json")
            let tooLarge = try await Self.upload(server, Data(count: 8192), filename: "big.fit", token: phone.token)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.json["code"] as? String == "payload_too_large")
            let noFile = try await server.send(
                .post, "/v1/import", token: phone.token,
                raw: Data("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n".utf8),
                headers: [.contentType: "multipart/form-data; boundary=b"])
            #expect(noFile.status == .unprocessableContent && noFile.json["code"] as? String == "missing_field", "\(noFile.text)")
            let unterminated = try await server.send(
                .post, "/v1/import", token: phone.token, raw: Data("--b\r\nContent-Disposition: form-data; name=\"file\"".utf8),
                headers: [.contentType: "multipart/form-data; boundary=b"])
            #expect(unterminated.status == .badRequest && unterminated.json["code"] as? String == "malformed_multipart")
        }
    }

    @Test("No device can sign in as the import device")
    func theImportDeviceIdIsReserved() async throws {
        try await TestServer.run { server in
            let phone = try await server.signIn(email: "reserved@example.org")
            let login = try await server.send(
                .post, "/v1/auth/login",
                json: LoginRequest(
                    email: "reserved@example.org", password: "correct horse battery",
                    device: .init(id: ImportIdentity.serverImportDevice(accountID: phone.userID), name: "sneaky", platform: "ios")))
            #expect(login.status == .unprocessableContent && login.json["code"] as? String == "invalid_value")
        }
    }

    /// Uploads `data` as the multipart part `file`.
    static func upload(_ server: TestServer, _ data: Data, filename: String, token: String) async throws -> TestServer.Reply {
        let boundary = "rundiary-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfrom the tests\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n".utf8)
        body += Data("Content-Type: application/octet-stream\r\n\r\n".utf8) + data + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await server.send(
            .post, "/v1/import", token: token, raw: body, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    static func accountVersion(_ server: TestServer, _ userID: UUID) async throws -> Int64 {
        try await server.database.query("SELECT version FROM users WHERE id = \(userID)").single().decode(Int64.self, at: 0)
    }
}
