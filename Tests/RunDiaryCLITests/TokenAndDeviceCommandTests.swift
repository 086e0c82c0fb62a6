import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary token and device")
struct TokenAndDeviceCommandTests {
    @Test("token issue prints a working token once; token list never shows it; token revoke stops it")
    func issueListRevoke() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let userID = try await Diary(client: client).user("ana@example.org")
            let issued = try await Rundiary.run(["token", "issue", "ana@example.org", "--device", "backup"], databaseURL: url)
            #expect(issued.status == 0, "\(issued.stderr)")
            let token = issued.stdout.trimmingCharacters(in: .newlines)
            #expect(AccessToken.looksValid(token, kind: .api))
            let accounts = AccountStore(client: client)
            let owner = try #require(try await accounts.owner(ofToken: token))
            #expect(owner.userID == userID)
            #expect(issued.stderr.contains(owner.tokenID.uuidString.lowercased()))
            let devices = try await accounts.devices(userID: userID)
            #expect(devices.map(\.name) == ["backup"])
            #expect(devices.first?.id == owner.deviceID)

            let list = try await Rundiary.run(["token", "list", "ana@example.org", "--json"], databaseURL: url)
            #expect(list.status == 0, "\(list.stderr)")
            let tokens = try list.jsonObjects()
            #expect(tokens.count == 1)
            #expect(tokens.first?["id"] as? String == owner.tokenID.uuidString)
            #expect(tokens.first?["device_name"] as? String == "backup")
            let hashHex = AccessToken.hash(token).map { String(format: "%02x", $0) }.joined()
            for output in [list.stdout, try await Rundiary.run(["token", "list", "ana@example.org"], databaseURL: url).stdout] {
                #expect(!output.contains(token) && !output.contains(String(token.dropFirst(4).prefix(20))))
                #expect(!output.lowercased().contains(hashHex))
            }

            let revoke = try await Rundiary.run(["token", "revoke", owner.tokenID.uuidString], databaseURL: url)
            #expect(revoke.status == 0, "\(revoke.stderr)")
            #expect(try await accounts.owner(ofToken: token) == nil)
            let twice = try await Rundiary.run(["token", "revoke", owner.tokenID.uuidString], databaseURL: url)
            #expect(twice.status == 0)
            #expect(twice.stdout.contains("revoked already"))

            let unknown = try await Rundiary.run(["token", "revoke", UUID().uuidString], databaseURL: url)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.hasPrefix("rundiary: no token with id"))
        }
    }

    @Test("token issue refuses a disabled or unknown user")
    func issueRefusals() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            try await client.execute("INSERT INTO users (id, email, disabled_at) VALUES (\(UUID()), 'off@example.org', now())")
            let disabled = try await Rundiary.run(["token", "issue", "off@example.org", "--device", "x"], databaseURL: url)
            #expect(disabled.status == 1)
            #expect(disabled.stdout.isEmpty)
            #expect(disabled.stderr == "rundiary: user off@example.org is disabled; enable it first\n")
            let unknown = try await Rundiary.run(["token", "issue", "no@example.org", "--device", "x"], databaseURL: url)
            #expect(unknown.status == 1)
            #expect(try await Diary(client: client).count("SELECT count(*) FROM tokens") == 0)
        }
    }

    @Test("device list shows cursors; device revoke revokes the device and its tokens")
    func deviceListAndRevoke() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let accounts = AccountStore(client: client)
            let user = try await accounts.createUser(email: "ana@example.org", passwordHash: nil, displayName: "")
            let phone = UUID()
            let (token1, _) = try await accounts.issueToken(userID: user.id, deviceID: phone, deviceName: "phone", platform: "ios")
            let (token2, _) = try await accounts.issueToken(userID: user.id, deviceID: phone, deviceName: "phone", platform: "ios")
            let (tablet, _) = try await accounts.issueToken(userID: user.id, deviceID: UUID(), deviceName: "tablet", platform: "ios")
            try await client.execute("UPDATE devices SET last_pulled_version = 7 WHERE id = \(phone)")

            let list = try await Rundiary.run(["device", "list", "ana@example.org", "--json"], databaseURL: url)
            #expect(list.status == 0, "\(list.stderr)")
            let devices = try list.jsonObjects()
            #expect(Set(devices.compactMap { $0["name"] as? String }) == ["phone", "tablet"])
            let phoneRow = try #require(devices.first { $0["id"] as? String == phone.uuidString })
            #expect(phoneRow["last_pulled_version"] as? Int == 7)
            #expect(phoneRow["active_tokens"] as? Int == 2)

            let revoke = try await Rundiary.run(["device", "revoke", phone.uuidString.lowercased()], databaseURL: url)
            #expect(revoke.status == 0, "\(revoke.stderr)")
            #expect(try await accounts.owner(ofToken: token1.text) == nil)
            #expect(try await accounts.owner(ofToken: token2.text) == nil)
            #expect(try await accounts.owner(ofToken: tablet.text) != nil)

            let unknown = try await Rundiary.run(["device", "revoke", UUID().uuidString], databaseURL: url)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.hasPrefix("rundiary: no device with id"))
        }
    }

    @Test("device revoke of an id two users share needs --user and touches only that user")
    func ambiguousDevice() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let accounts = AccountStore(client: client)
            let ana = try await accounts.createUser(email: "ana@example.org", passwordHash: nil, displayName: "")
            let bo = try await accounts.createUser(email: "bo@example.org", passwordHash: nil, displayName: "")
            let shared = UUID()
            let (anaToken, _) = try await accounts.issueToken(userID: ana.id, deviceID: shared, deviceName: "p", platform: "")
            let (boToken, _) = try await accounts.issueToken(userID: bo.id, deviceID: shared, deviceName: "p", platform: "")

            let ambiguous = try await Rundiary.run(["device", "revoke", shared.uuidString], databaseURL: url)
            #expect(ambiguous.status == 2)
            #expect(ambiguous.stderr.contains("2 users have a device with id"))
            #expect(try await accounts.owner(ofToken: anaToken.text) != nil)
            #expect(try await accounts.owner(ofToken: boToken.text) != nil)

            let named = try await Rundiary.run(["device", "revoke", shared.uuidString, "--user", "bo@example.org"], databaseURL: url)
            #expect(named.status == 0, "\(named.stderr)")
            #expect(try await accounts.owner(ofToken: anaToken.text) != nil)
            #expect(try await accounts.owner(ofToken: boToken.text) == nil)
        }
    }
}
