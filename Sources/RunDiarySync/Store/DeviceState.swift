import Foundation
import GRDB
import RunDiaryModels

/// The `device` row: this device's identity, its account, and every position that must survive a restart.
struct DeviceState: Sendable {
    var deviceID: UUID
    var serverURL: URL?
    var email: String?
    var userID: UUID?
    var token: String?
    /// The last mutation id issued; the next is one more. Never lowered.
    var lastMutationID: Int64
    /// The highest mutation id the server has acknowledged, as it last said.
    var acknowledgedThrough: Int64
    /// The greatest clock issued or received.
    var clock: HLC?
    var cursor: String?
    /// Bumped by each reset; `server_records.generation` says which reset last brought a record.
    var generation: Int64
    var resetting: Bool
    var lastSyncedAt: Date?

    /// Creates the row with a new device id on first use.
    static func prepare(_ db: Database) throws {
        try db.execute(literal: "INSERT OR IGNORE INTO device (singleton, device_id) VALUES (1, \(UUID().key))")
    }

    static func read(_ db: Database) throws -> DeviceState {
        guard let row = try db.row("SELECT * FROM device WHERE singleton = 1"), let deviceID = UUID(uuidString: row["device_id"])
        else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the device row is missing") }
        return DeviceState(
            deviceID: deviceID,
            serverURL: (row["server_url"] as String?).flatMap(URL.init(string:)),
            email: row["email"],
            userID: (row["user_id"] as String?).flatMap(UUID.init(uuidString:)),
            token: row["token"],
            lastMutationID: row["last_mutation_id"],
            acknowledgedThrough: row["acknowledged_through"],
            clock: (row["clock"] as String?).flatMap(HLC.init),
            cursor: row["cursor"],
            generation: row["generation"],
            resetting: row["resetting"],
            lastSyncedAt: (row["last_synced_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// The account, once this database has signed in at least once.
    var account: AccountInfo? {
        guard let serverURL, let email, let userID else { return nil }
        return AccountInfo(server: serverURL, email: email, userID: userID, deviceID: deviceID, isSignedIn: token != nil)
    }

    /// The device's clock, resuming after the greatest clock it has issued or seen.
    var hybridClock: HybridLogicalClock {
        HybridLogicalClock(node: deviceID, latest: clock)
    }

    static func saveClock(_ db: Database, _ clock: HybridLogicalClock) throws {
        try db.execute(literal: "UPDATE device SET clock = \(clock.latest?.description)")
    }

    /// Moves the clock past `remote` (and every clock it has issued), as the protocol asks after each answer.
    static func receive(_ db: Database, _ remote: HLC, wallMillis: Int64) throws {
        var clock = try read(db).hybridClock
        _ = clock.receive(remote, physicalMillis: wallMillis)
        try saveClock(db, clock)
    }
}
