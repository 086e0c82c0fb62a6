import Foundation
import HTTPTypes
import Postgres
import Testing

@Suite("Accounts, logins and devices")
struct AuthTests {
    @Test func registerLoginLogout() async throws {
        try await TestServer.run { server in
            let first = try await server.send(
                .post, "/v1/auth/register", json: ["email": "Runner@Example.org", "password": "long enough pw", "display_name": "R"])
            #expect(first.status == .created)
            let again = try await server.send(
                .post, "/v1/auth/register", json: ["email": "runner@example.org", "password": "another long pw"])
            #expect(again.status == .conflict)
            #expect(again.json["code"] as? String == "email_taken")

            let session = try await server.signIn(email: "runner@example.org", password: "long enough pw")
            #expect(session.token.hasPrefix("rdt_"))
            // Only the SHA-256 is stored.
            let stored = try await server.database.query("SELECT token_hash FROM tokens").map { try $0.decode(Data.self, at: 0) }
            #expect(stored.count == 1)
            #expect(stored.first?.count == 32)
            let everything = try await server.database.query(
                "SELECT count(*) FROM tokens t, users u WHERE t::text LIKE '%' || \(session.token) || '%' OR u::text LIKE '%long enough pw%'"
            )
            #expect(try everything.single().decode(Int.self, at: 0) == 0)
            let hash = try await server.database.query("SELECT password_hash FROM users").single().decode(String.self, at: 0)
            #expect(hash.hasPrefix("$2"))

            #expect(try await server.send(.get, "/v1/devices", token: session.token).status == .ok)
            #expect(try await server.send(.post, "/v1/auth/logout", token: session.token).status == .noContent)
            #expect(try await server.send(.get, "/v1/devices", token: session.token).status == .unauthorized)
        }
    }

    @Test func registrationCanBeTurnedOff() async throws {
        try await TestServer.run(configure: { $0.registrationEnabled = false }) { server in
            let reply = try await server.send(.post, "/v1/auth/register", json: ["email": "a@example.org", "password": "long enough pw"])
            #expect(reply.status == .forbidden)
            #expect(reply.json["code"] as? String == "registration_closed")
        }
    }

    @Test func registrationValidatesItsFields() async throws {
        try await TestServer.run { server in
            for body in [
                ["email": "not-an-email", "password": "long enough pw"],
                ["email": "a@example.org", "password": "short"],
                ["email": "a@example.org", "password": String(repeating: "p", count: 73)],
            ] {
                let reply = try await server.send(.post, "/v1/auth/register", json: body)
                #expect(reply.status == .unprocessableContent, "\(body)")
            }
        }
    }

    @Test func devicesAreListedAndRevokedWithTheirTokens() async throws {
        try await TestServer.run { server in
            let phone = try await server.signIn(email: "d@example.org", deviceName: "phone")
            let tablet = try await server.signIn(email: "d@example.org", deviceName: "tablet")
            let list = try await server.send(.get, "/v1/devices", token: phone.token)
            let devices = try #require(list.json["devices"] as? [[String: Any]])
            #expect(Set(devices.compactMap { $0["name"] as? String }) == ["phone", "tablet"])
            #expect(try await server.send(.delete, "/v1/devices/\(tablet.deviceID)", token: phone.token).status == .noContent)
            #expect(try await server.send(.get, "/v1/devices", token: tablet.token).status == .unauthorized)
            #expect(try await server.send(.get, "/v1/devices", token: phone.token).status == .ok)
            #expect(try await server.send(.delete, "/v1/devices/not-a-uuid", token: phone.token).status == .notFound)
        }
    }

    @Test func aDisabledUsersTokenStopsWorkingAtOnce() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "gone@example.org")
            #expect(try await server.send(.get, "/v1/sync/pull", token: session.token).status == .ok)
            try await server.database.execute("UPDATE users SET disabled_at = now() WHERE id = \(session.userID)")
            #expect(try await server.send(.get, "/v1/sync/pull", token: session.token).status == .unauthorized)
        }
    }
}
