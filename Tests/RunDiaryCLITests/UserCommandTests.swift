import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary user")
struct UserCommandTests {
    @Test("user add --password-stdin stores a bcrypt hash of the first stdin line and never prints it")
    func addWithPassword() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let password = "correct horse battery"
            let added = try await Rundiary.run(
                ["user", "add", "--email", "Ana@Example.org", "--password-stdin"], databaseURL: url,
                stdin: password + "\nsecond line\n")
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("created user Ana@Example.org"))
            #expect(!added.stdout.contains(password) && !added.stderr.contains(password))

            let found = try #require(try await AccountStore(client: client).user(email: "ana@example.org"))
            let hasher = PasswordHasher(cost: 10)
            #expect(try await hasher.verify(password, hash: found.passwordHash))
            #expect(try await !hasher.verify("second line", hash: found.passwordHash))
            #expect(found.passwordHash?.hasPrefix("$2b$10$") == true)
        }
    }

    @Test("user add without a password creates an account that cannot log in")
    func addWithoutPassword() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let added = try await Rundiary.run(["user", "add", "--email", "bo@example.org", "--json"], databaseURL: url)
            #expect(added.status == 0, "\(added.stderr)")
            let json = try added.jsonObject()
            #expect(json["email"] as? String == "bo@example.org")
            #expect(json["has_password"] as? Bool == false)
            let found = try #require(try await AccountStore(client: client).user(email: "bo@example.org"))
            #expect(found.passwordHash == nil)
        }
    }

    @Test("user add refuses a taken email (exit 1), a malformed one and a short password (exit 2)")
    func addRefusals() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            try await Diary(client: client).user("cy@example.org")
            let taken = try await Rundiary.run(["user", "add", "--email", "CY@example.org"], databaseURL: url)
            #expect(taken.status == 1)
            #expect(taken.stderr == "rundiary: a user with email CY@example.org exists already\n")

            let malformed = try await Rundiary.run(["user", "add", "--email", "nobody"], databaseURL: url)
            #expect(malformed.status == 2)
            #expect(malformed.stderr.contains("not an email address"))

            let short = try await Rundiary.run(
                ["user", "add", "--email", "dee@example.org", "--password-stdin"], databaseURL: url, stdin: "short\n")
            #expect(short.status == 2)
            #expect(short.stderr.contains("must be 8 characters"))
            #expect(!short.stderr.contains("short"))
            #expect(try await AccountStore(client: client).user(email: "dee@example.org") == nil)
        }
    }

    @Test("user list and user show, as text and JSON")
    func listAndShow() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org")
            try await diary.user("bo@example.org")
            try await diary.device(of: ana, pulled: 2)
            let run = try await diary.run(of: ana, version: 1)
            try await diary.painEntry(of: ana, version: 2, runID: run)
            try await diary.tombstone("gear", of: ana, version: 3, daysAgo: 1)

            let list = try await Rundiary.run(["user", "list", "--json"], databaseURL: url)
            #expect(list.status == 0, "\(list.stderr)")
            let users = try list.jsonObjects()
            #expect(users.compactMap { $0["email"] as? String } == ["ana@example.org", "bo@example.org"])
            #expect(users.first?["active_devices"] as? Int == 1)
            #expect(users.first?["version"] as? Int == 3)

            let text = try await Rundiary.run(["user", "list"], databaseURL: url)
            #expect(text.stdout.split(separator: "\n").count == 3)
            #expect(text.stdout.hasPrefix("EMAIL"))

            let show = try await Rundiary.run(["user", "show", "ANA@example.org", "--json"], databaseURL: url)
            #expect(show.status == 0, "\(show.stderr)")
            let detail = try show.jsonObject()
            let records = try #require(detail["records"] as? [[String: Any]])
            let counts = Dictionary(
                uniqueKeysWithValues: records.map { ($0["entity"] as! String, ($0["live"] as! Int, $0["tombstones"] as! Int)) })
            #expect(counts["run"]! == (1, 0))
            #expect(counts["pain_entry"]! == (1, 0))
            #expect(counts["gear"]! == (0, 1))
            #expect(detail["active_shares"] as? Int == 0)

            let missing = try await Rundiary.run(["user", "show", "nobody@example.org"], databaseURL: url)
            #expect(missing.status == 1)
            #expect(missing.stderr == "rundiary: no user with email nobody@example.org\n")
            #expect(missing.stdout.isEmpty)
        }
    }

    @Test("user disable refuses the user's token at once; user enable restores it")
    func disableAndEnable() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let accounts = AccountStore(client: client)
            let user = try await accounts.createUser(email: "ana@example.org", passwordHash: nil, displayName: "")
            let (token, _) = try await accounts.issueToken(userID: user.id, deviceID: UUID(), deviceName: "phone", platform: "ios")
            #expect(try await accounts.owner(ofToken: token.text)?.userID == user.id)

            let disabled = try await Rundiary.run(["user", "disable", "ana@example.org"], databaseURL: url)
            #expect(disabled.status == 0, "\(disabled.stderr)")
            #expect(try await accounts.owner(ofToken: token.text) == nil)
            let again = try await Rundiary.run(["user", "disable", "ana@example.org"], databaseURL: url)
            #expect(again.stdout.contains("disabled already"))

            let enabled = try await Rundiary.run(["user", "enable", "ana@example.org"], databaseURL: url)
            #expect(enabled.status == 0, "\(enabled.stderr)")
            #expect(try await accounts.owner(ofToken: token.text)?.userID == user.id)
        }
    }

    @Test("disabling at the store level stops tokens and share links at once")
    func disableStopsTokensAndShares() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let accounts = AccountStore(client: client)
            let admin = AdminStore(client: client)
            let shares = ShareStore(client: client)
            let user = try await accounts.createUser(email: "ana@example.org", passwordHash: nil, displayName: "")
            let (token, _) = try await accounts.issueToken(userID: user.id, deviceID: UUID(), deviceName: "phone", platform: "ios")
            let (_, shareToken) = try await Diary(client: client).share(of: user.id, label: "PT")
            #expect(try await shares.open(token: shareToken.text, format: "html", clientAddress: nil, userAgent: nil) != nil)

            #expect(try await admin.setDisabled(email: "ana@example.org", true))
            #expect(try await accounts.owner(ofToken: token.text) == nil)
            #expect(try await shares.open(token: shareToken.text, format: "html", clientAddress: nil, userAgent: nil) == nil)

            #expect(try await admin.setDisabled(email: "ana@example.org", false))
            #expect(try await accounts.owner(ofToken: token.text) != nil)
            #expect(try await shares.open(token: shareToken.text, format: "html", clientAddress: nil, userAgent: nil) != nil)
        }
    }
}
