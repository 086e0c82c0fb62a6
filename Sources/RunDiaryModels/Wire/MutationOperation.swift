/// What a mutation does to its record.
public enum MutationOperation: String, Codable, CaseIterable, Sendable {
    /// Creates the record or patches the fields it sets.
    case upsert
    /// Deletes the record for good (a tombstone).
    case delete
}
