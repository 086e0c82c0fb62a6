import Foundation

/// Why an administrative operation could not be done; each case reads as one line for the operator.
package enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    case userNotFound(email: String)
    case emailTaken(email: String)
    case userDisabled(email: String)
    case tokenNotFound(UUID)
    case deviceNotFound(UUID)
    case shareNotFound(UUID)
    /// Ids are unique per user only: several users hold this one, so the owner must be named.
    case ambiguousID(kind: String, id: UUID, owners: Int)
    /// The database has no `shares` table (its migration is not part of this build or not applied).
    case sharesUnavailable

    package var description: String {
        switch self {
        case .userNotFound(let email): "no user with email \(email)"
        case .emailTaken(let email): "a user with email \(email) exists already"
        case .userDisabled(let email): "user \(email) is disabled; enable it first"
        case .tokenNotFound(let id): "no token with id \(id.uuidString.lowercased())"
        case .deviceNotFound(let id): "no device with id \(id.uuidString.lowercased())"
        case .shareNotFound(let id): "no share link with id \(id.uuidString.lowercased())"
        case .ambiguousID(let kind, let id, let owners):
            "\(owners) users have a \(kind) with id \(id.uuidString.lowercased()); name the owner with --user EMAIL"
        case .sharesUnavailable: "this database has no share links (table shares is missing)"
        }
    }

    /// Whether the operator can fix this by changing the command line (exit code 2) rather than the data.
    package var isUsageError: Bool {
        if case .ambiguousID = self { return true }
        return false
    }
}
