/// One field of an entity: its wire name (also the database column name), type, and whether a create needs it.
public struct FieldSpec: Hashable, Sendable {
    /// The snake_case wire name.
    public let name: String
    /// The type and its limits.
    public let type: FieldType
    /// Whether the first upsert of a record must set it; a required field can never be cleared with `null`.
    public let isRequired: Bool
    /// Whether a string may be empty or whitespace only; false for names and titles.
    public let allowsBlank: Bool
    /// The value readers assume when the field is absent; it is not stored.
    public let defaultValue: JSONValue?

    /// Creates a field description.
    public init(
        _ name: String,
        _ type: FieldType,
        required isRequired: Bool = false,
        allowsBlank: Bool = true,
        defaultValue: JSONValue? = nil
    ) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.allowsBlank = allowsBlank
        self.defaultValue = defaultValue
    }
}
