import Foundation
import Postgres
import RunDiaryModels
import Testing

@Suite("No change is ever skipped while devices push concurrently")
struct SyncConcurrencyTests {
    @Test(.timeLimit(.minutes(10)))
    func fourWritersAndAPullerEndWithTheServersRecords() async throws {
        try await TestServer.run(configure: { $0.databasePoolSize = 12 }) { server in
            let email = "busy@example.org"
            var sessions: [TestServer.Session] = []
            for index in 0..<5 { sessions.append(try await server.signIn(email: email, deviceName: "device \(index)")) }
            // Records every writer edits, so that pushes touch the same rows.
            var seeder = SyncDevice(server: server, session: sessions[0])
            let shared = (0..<5).map { _ in UUID() }
            _ = try await seeder.push(shared.map { seeder.upsert(.gear, $0, ["name": "shared"]) })

            let seeded = seeder
            let writing = WritersRunning(count: 4)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    let session = sessions[writer]
                    group.addTask {
                        // Writer 0 is the seeding device itself, carrying on with its clock and mutation ids.
                        var device = writer == 0 ? seeded : SyncDevice(server: server, session: session)
                        for batch in 0..<50 {
                            var mutations = [device.upsert(.gear, UUID(), ["name": .string("w\(writer) b\(batch)"), "brand": "new"])]
                            mutations.append(device.upsert(.gear, shared[batch % shared.count], ["model": .string("w\(writer) b\(batch)")]))
                            if batch % 10 == 9 { mutations.append(device.delete(.gear, UUID())) }
                            let response = try await device.push(mutations)
                            #expect(response.results.allSatisfy { $0.status == .applied || $0.status == .merged })
                        }
                        await writing.finish()
                    }
                }
                let pullerSession = sessions[4]
                group.addTask {
                    var puller = SyncDevice(server: server, session: pullerSession)
                    while await writing.active {
                        try await puller.pullAll(limit: 7)
                    }
                    try await puller.pullAll(limit: 7)
                    let held = puller.records.mapValues(\.version)
                    let rows = try await server.database.query("SELECT id, version FROM gear")
                    let stored = Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((UUID, Int64).self) })
                    #expect(held == stored)
                    let expectedRecords = 5 + 4 * 50 + 4 * 5
                    #expect(stored.count == expectedRecords)
                    let counter = try await server.database.query("SELECT version FROM users").single().decode(Int64.self, at: 0)
                    #expect(counter == stored.values.max())
                }
                try await group.waitForAll()
            }
        }
    }
}

/// Counts writers still pushing.
actor WritersRunning {
    private var remaining: Int
    init(count: Int) { remaining = count }
    var active: Bool { remaining > 0 }
    func finish() { remaining -= 1 }
}
