import Foundation
import Postgres
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport

/// A live `rundiary serve` process on a database of its own, and devices (engines) signed in to it.
struct LiveServer: Sendable {
    let process: ServerProcess
    /// The server's database, for assertions and for changing what a test needs changed.
    let database: PostgresClient
    let folder: URL

    /// Runs `body` against a live server started with `arguments`, then stops it and drops its database.
    static func run(arguments: [String] = [], _ body: @Sendable (LiveServer) async throws -> Void) async throws {
        try await TestDatabase.withMigratedDatabase { url, database in
            let process = try await ServerProcess.start(databaseURL: url, arguments: arguments)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-sync-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                try await body(LiveServer(process: process, database: database, folder: folder))
            } catch {
                await process.stop()
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
            await process.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    var url: URL { process.baseURL }

    /// Registers an account and returns its email; every device of it signs in with `password`.
    func account(_ name: String = "runner") async throws -> String {
        let email = "\(name)-\(UUID().uuidString.prefix(8))@example.org"
        let engine = try SyncEngine(databasePath: folder.appendingPathComponent("register-\(UUID().uuidString).sqlite").path)
        try await engine.register(server: url, email: email, password: Self.password)
        return email
    }

    static let password = "correct horse battery"

    /// A new device of the account: an engine over a database file of its own, signed in.
    func device(
        of email: String, named name: String = "device", transport: any SyncTransport = URLSessionTransport(),
        configuration: SyncEngine.Configuration = .testing
    ) async throws -> SyncEngine {
        let engine = try SyncEngine(
            databasePath: folder.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path, transport: transport,
            configuration: configuration)
        try await engine.signIn(server: url, email: email, password: Self.password, deviceName: name)
        return engine
    }

    /// The engine over the same database file again, as after an app restart.
    func reopen(_ engine: SyncEngine, transport: any SyncTransport = URLSessionTransport()) throws -> SyncEngine {
        try SyncEngine(databasePath: engine.databasePath, transport: transport, configuration: engine.configuration)
    }
}

extension SyncEngine.Configuration {
    /// Quick retries, so tests of failures do not wait for a phone's back-off.
    static var testing: SyncEngine.Configuration {
        SyncEngine.Configuration(
            retry: RetryPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200), attemptsPerSync: 4),
            pollInterval: .milliseconds(300))
    }
}

/// A run at a fixed time, for records whose content does not matter.
func sampleRun(minutes: Int = 30, id: UUID = UUID()) -> Run {
    var run = Run(id: id, startedAt: Timestamp("2026-11-26T07:30:00+01:00")!, elapsedSeconds: minutes * 60)
    run.surface = .treadmill
    run.distanceMeters = 5000
    return run
}
