/// `POST /v1/shares`' body: a read-only link to part of the diary, for a physical therapist.
public struct ShareCreateRequest: Codable, Hashable, Sendable {
    /// The first day shared; the diary's start when nil.
    public var from: LocalDate?
    /// The last day shared; today when nil.
    public var to: LocalDate?
    /// The entities shared (`run`, `pain_entry`, …); every kind when nil.
    public var include: [String]?
    /// Hours until the link stops working; the server's default (a week) when nil.
    public var expiresInHours: Int?
    /// How many times the link may be opened; unlimited when nil.
    public var maxViews: Int?
    /// A label for the runner to recognise the link by.
    public var label: String

    public init(
        from: LocalDate? = nil, to: LocalDate? = nil, include: [String]? = nil, expiresInHours: Int? = nil,
        maxViews: Int? = nil, label: String
    ) {
        self.from = from
        self.to = to
        self.include = include
        self.expiresInHours = expiresInHours
        self.maxViews = maxViews
        self.label = label
    }

    enum CodingKeys: String, CodingKey {
        case from, to, include, label
        case expiresInHours = "expires_in_hours"
        case maxViews = "max_views"
    }
}
