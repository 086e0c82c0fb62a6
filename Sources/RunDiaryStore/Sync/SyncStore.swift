import Foundation
import Postgres
import RunDiaryModels

/// The sync transaction: pushes merged field by field into the typed record tables, and pulls in version order.
///
/// Every statement is scoped to one user. A push holds that user's row lock from its first statement to commit and
/// numbers its changes from the user's counter, so for one user version order is commit order and a pull that
/// reads in one snapshot never skips a change.
public struct SyncStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Why a pull cannot continue from the cursor it was given.
    public enum PullError: Error, Sendable, Equatable {
        /// Tombstones the device has not seen were pruned, or the cursor is of another sync epoch (issued before a
        /// restore, or by another database): start over.
        case resetRequired
    }

    /// A page of changes.
    public struct PullPage: Sendable {
        public let changes: [PulledChange]
        public let cursor: SyncCursor
        public let hasMore: Bool
    }

    /// A conflict as kept in `sync_conflicts`.
    public struct ConflictRecord: Sendable, Codable {
        public let id: Int64
        public let entity: String
        public let recordID: UUID
        public let field: String
        public let winningValue: JSONValue
        public let winningHLC: String
        public let losingValue: JSONValue
        public let losingHLC: String
        public let deviceID: UUID
        public let mutationID: Int64
        public let version: Int64
        public let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, entity, field, version
            case recordID = "record_id"
            case winningValue = "winning_value"
            case winningHLC = "winning_hlc"
            case losingValue = "losing_value"
            case losingHLC = "losing_hlc"
            case deviceID = "device_id"
            case mutationID = "mutation_id"
            case createdAt = "created_at"
        }
    }

    /// A rejected mutation as kept in `sync_rejections`.
    public struct RejectionRecord: Sendable, Codable {
        public let id: Int64
        public let deviceID: UUID
        public let mutationID: Int64
        public let entity: String?
        public let recordID: UUID?
        public let code: String
        public let field: String?
        public let message: String
        public let mutation: JSONValue
        public let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, entity, code, field, message, mutation
            case deviceID = "device_id"
            case mutationID = "mutation_id"
            case recordID = "record_id"
            case createdAt = "created_at"
        }
    }
}

/// A record as a pull returns it: its latest fields (a cleared field as null) and its clocks as stored JSON text.
public struct PulledChange: Sendable {
    public let entity: EntityKind
    public let id: UUID
    public let version: Int64
    public let deleted: Bool
    /// Every field ever written, in schema order.
    public let fields: [(name: String, value: JSONValue)]
    /// The `clocks` object (field name → HLC text) exactly as stored.
    public let clocksJSON: String
}
