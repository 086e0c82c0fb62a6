import Crypto
import Foundation

/// A bearer secret: an API token (`rdt_…`) or a share link token (`rds_…`).
///
/// 32 random bytes, base64url-encoded behind a recognisable prefix so that leaked tokens can be found by scanners.
/// Only the SHA-256 of the whole text is stored.
package struct AccessToken: Sendable, Hashable {
    package enum Kind: String, Sendable {
        case api = "rdt_"
        case share = "rds_"
    }

    /// The token as handed to its holder; shown once, never stored.
    package let text: String

    /// A new random token.
    package static func generate(_ kind: Kind) -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return AccessToken(text: kind.rawValue + Base64URL.encode(bytes))
    }

    package init(text: String) {
        self.text = text
    }

    /// The SHA-256 under which the token is stored and looked up.
    package var hash: Data { Self.hash(text) }

    /// The SHA-256 of a presented token text.
    package static func hash(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    /// Whether `text` has the shape of a token of `kind` (cheap check before any database lookup).
    package static func looksValid(_ text: String, kind: Kind) -> Bool {
        text.hasPrefix(kind.rawValue) && text.utf8.count == kind.rawValue.utf8.count + 43
            && text.utf8.dropFirst(4).allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }
}
