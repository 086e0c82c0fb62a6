import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary share")
struct ShareCommandTests {
    @Test("share list shows links of one user or all, with state; never the token")
    func list() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let ana = try await Diary(client: client).user("ana@example.org")
            let bo = try await Diary(client: client).user("bo@example.org")
            let (anaShare, anaToken) = try await Diary(client: client).share(of: ana, label: "for my PT", maxViews: 3)
            let (boShare, _) = try await Diary(client: client).share(of: bo, expiresInHours: -1)

            let all = try await Rundiary.run(["share", "list", "--json"], databaseURL: url)
            #expect(all.status == 0, "\(all.stderr)")
            let rows = try all.jsonObjects()
            #expect(rows.count == 2)
            let anaRow = try #require(rows.first { $0["id"] as? String == anaShare.uuidString })
            #expect(anaRow["state"] as? String == "active")
            #expect(anaRow["email"] as? String == "ana@example.org")
            #expect(anaRow["max_views"] as? Int == 3)
            #expect(rows.first { $0["id"] as? String == boShare.uuidString }?["state"] as? String == "expired")
            #expect(!all.stdout.contains(anaToken.text))

            let one = try await Rundiary.run(["share", "list", "--user", "bo@example.org"], databaseURL: url)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.contains(boShare.uuidString.lowercased()))
            #expect(!one.stdout.contains(anaShare.uuidString.lowercased()))
            #expect(one.stdout.contains("expired"))
        }
    }

    @Test("share revoke stops the link at once and leaves others working")
    func revoke() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let shares = ShareStore(client: client)
            let ana = try await Diary(client: client).user("ana@example.org")
            let (first, firstToken) = try await Diary(client: client).share(of: ana, label: "a")
            let (_, secondToken) = try await Diary(client: client).share(of: ana, label: "b")

            let revoked = try await Rundiary.run(["share", "revoke", first.uuidString], databaseURL: url)
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(try await shares.open(token: firstToken.text, format: "html", clientAddress: nil, userAgent: nil) == nil)
            #expect(try await shares.open(token: secondToken.text, format: "html", clientAddress: nil, userAgent: nil) != nil)
            let listed = try await Rundiary.run(["share", "list", "--json"], databaseURL: url).jsonObjects()
            #expect(listed.first { $0["id"] as? String == first.uuidString }?["state"] as? String == "revoked")

            let unknown = try await Rundiary.run(["share", "revoke", UUID().uuidString], databaseURL: url)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.hasPrefix("rundiary: no share link with id"))
        }
    }
}
