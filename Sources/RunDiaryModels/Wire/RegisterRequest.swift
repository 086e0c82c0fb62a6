/// `POST /v1/auth/register`'s body: a new account.
public struct RegisterRequest: Codable, Hashable, Sendable {
    public var email: String
    public var password: String
    /// Empty when not given.
    public var displayName: String?

    public init(email: String, password: String, displayName: String?) {
        self.email = email
        self.password = password
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case displayName = "display_name"
    }
}
