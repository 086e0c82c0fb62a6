import Foundation

/// The account a local database belongs to.
public struct AccountInfo: Hashable, Sendable {
    /// The server's base URL, such as `https://diary.example.org`.
    public let server: URL
    public let email: String
    public let userID: UUID
    /// This device's id: sent at sign-in and the node of every clock it issues.
    public let deviceID: UUID
    /// Whether the engine holds a token the server accepted last time it was asked.
    public let isSignedIn: Bool

    public init(server: URL, email: String, userID: UUID, deviceID: UUID, isSignedIn: Bool) {
        self.server = server
        self.email = email
        self.userID = userID
        self.deviceID = deviceID
        self.isSignedIn = isSignedIn
    }
}
