/// The resolution of one field a mutation set.
public struct FieldMergeResult: Hashable, Sendable {
    /// The wire name of the field.
    public let field: String
    /// What happened to it.
    public let resolution: FieldResolution

    public init(field: String, resolution: FieldResolution) {
        self.field = field
        self.resolution = resolution
    }
}
