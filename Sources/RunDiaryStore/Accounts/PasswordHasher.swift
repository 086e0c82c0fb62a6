import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run off Swift's cooperative pool (a hash at cost 12 takes a quarter of a second).
package struct PasswordHasher: Sendable {
    /// bcrypt's cost; OWASP asks for at least 10.
    package let cost: UInt8

    /// A hash, at this hasher's cost, of a password nobody has: verified when an email is unknown, so that an unknown
    /// email takes exactly as long to refuse as a wrong password.
    package let decoy: String

    /// The costs an operator may choose (OWASP: at least 10); `rundiary serve` refuses others.
    package static let allowedCosts = 10...16

    /// Made once per server; at cost 12 this takes about a quarter of a second. Below ``allowedCosts`` only for
    /// tests, which create thousands of accounts (bcrypt's own minimum is 4).
    package init(cost: Int) {
        precondition((4...16).contains(cost), "bcrypt cost must be 4…16")
        self.cost = UInt8(cost)
        self.decoy = Bcrypt.hash("decoy password that no account has", cost: UInt8(cost))
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
        let decoy = self.decoy
        return try await NIOThreadPool.singleton.runIfActive {
            guard let hash else {
                _ = Bcrypt.verify(password, hash: decoy)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }
}
