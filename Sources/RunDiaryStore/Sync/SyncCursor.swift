import Foundation

/// A pull position: the user's change version up to which a device has everything.
///
/// Opaque to clients (`c1.<base64url>`), so that its meaning can change without breaking them.
package struct SyncCursor: Sendable, Hashable {
    package let version: Int64

    package init(version: Int64) {
        self.version = version
    }

    /// Parses a cursor a client sent; nil when it is not one of ours.
    package init?(text: String) {
        guard text.hasPrefix("c1."), text.utf8.count <= 40 else { return nil }
        var base64 = String(text.dropFirst(3)).replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let body = String(data: data, encoding: .utf8),
            body.hasPrefix("v:"), let version = Int64(body.dropFirst(2)), version >= 0
        else { return nil }
        self.version = version
    }

    package var text: String {
        "c1."
            + Data("v:\(version)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
