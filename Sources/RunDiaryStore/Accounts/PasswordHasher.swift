import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run off Swift's cooperative pool (a hash at cost 12 takes a quarter of a second).
package struct PasswordHasher: Sendable {
    /// bcrypt's cost; OWASP asks for at least 10.
    package let cost: UInt8

    /// A hash of a password nobody has, verified when an email is unknown so that both answers take as long.
    private static let decoy = Bcrypt.hash("decoy password that no account has", cost: 10)

    package init(cost: Int) {
        precondition((10...16).contains(cost), "bcrypt cost must be 10…16")
        self.cost = UInt8(cost)
    }

    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    package static let maxPasswordBytes = 72
    package static let minPasswordCharacters = 8

    package func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Verifies `password` against `hash`, or against a decoy when there is no account, taking the same time.
    package func verify(_ password: String, hash: String?) async throws -> Bool {
        let decoy = Self.decoy
        return try await NIOThreadPool.singleton.runIfActive {
            guard let hash else {
                _ = Bcrypt.verify(password, hash: decoy)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }
}
