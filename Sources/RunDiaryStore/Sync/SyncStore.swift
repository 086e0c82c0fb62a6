import Foundation
import Postgres
import RunDiaryModels

/// The sync transaction: pushes merged field by field into the typed record tables, and pulls in version order.
///
/// Every statement is scoped to one user. A push holds that user's row lock from its first statement to commit and
/// numbers its changes from the user's counter, so for one user version order is commit order and a pull that
/// reads in one snapshot never skips a change.
package struct SyncStore: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// Why a pull cannot continue from the cursor it was given.
    package enum PullError: Error, Sendable, Equatable {
        /// Tombstones the device has not seen were pruned, or the cursor is of another sync epoch (issued before a
        /// restore, or by another database): start over.
        case resetRequired
    }

    /// A page of changes.
    package struct PullPage: Sendable {
        /// The changes as the wire's `changes` array holds them, oldest first: JSON objects (``Change``) separated by
        /// commas, without the brackets.
        package let changesJSON: [UInt8]
        /// The number of changes in ``changesJSON``.
        package let count: Int
        package let cursor: SyncCursor
        package let hasMore: Bool
    }

    /// A conflict as kept in `sync_conflicts`.
    package struct ConflictRecord: Sendable, Codable {
        package let id: Int64
        package let entity: String
        package let recordID: UUID
        package let field: String
        package let winningValue: JSONValue
        package let winningHLC: String
        package let losingValue: JSONValue
        package let losingHLC: String
        package let deviceID: UUID
        package let mutationID: Int64
        package let version: Int64
        package let createdAt: Date

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
    package struct RejectionRecord: Sendable, Codable {
        package let id: Int64
        package let deviceID: UUID
        package let mutationID: Int64
        package let entity: String?
        package let recordID: UUID?
        package let code: String
        package let field: String?
        package let message: String
        package let mutation: JSONValue
        package let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, entity, code, field, message, mutation
            case deviceID = "device_id"
            case mutationID = "mutation_id"
            case recordID = "record_id"
            case createdAt = "created_at"
        }
    }
}
