import Foundation

/// Where the engine stands, for a status line in the app.
public struct SyncStatus: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// Nothing in flight; the last attempt (if any) succeeded.
        case idle
        /// A sync is running.
        case syncing
        /// The server could not be reached (no network, or it answered 5xx); edits wait in the outbox.
        case offline
        /// No account, or the server refused the token (401): sign in again; edits wait in the outbox.
        case signedOut
        /// The server refused something the engine cannot fix by retrying (such as a whole push answered 422).
        case failed(SyncError)
    }

    /// How the engine hears about other devices' changes.
    public enum LiveChannel: Hashable, Sendable {
        /// ``SyncEngine/run()`` is not running.
        case stopped
        /// Connecting or reconnecting to the server's event stream.
        case connecting
        /// Following the event stream: changes arrive within moments.
        case connected
        /// The server has no live channel (404): the engine syncs periodically instead.
        case unavailable
    }

    public var phase: Phase
    /// Edits not yet acknowledged by the server.
    public var pendingCount: Int
    /// When the last sync (push and a complete pull) finished.
    public var lastSyncedAt: Date?
    /// Edits the server refused, kept until dismissed.
    public var rejectionCount: Int
    /// Conflicts on this device's edits, kept until dismissed.
    public var conflictCount: Int
    public var liveChannel: LiveChannel
    public var account: AccountInfo?

    public init(
        phase: Phase, pendingCount: Int, lastSyncedAt: Date?, rejectionCount: Int, conflictCount: Int,
        liveChannel: LiveChannel, account: AccountInfo?
    ) {
        self.phase = phase
        self.pendingCount = pendingCount
        self.lastSyncedAt = lastSyncedAt
        self.rejectionCount = rejectionCount
        self.conflictCount = conflictCount
        self.liveChannel = liveChannel
        self.account = account
    }
}
