/// The verdict on one pushed mutation.
public enum MutationStatus: String, Codable, CaseIterable, Sendable {
    /// Every field was taken, or the delete recorded.
    case applied
    /// Taken in part: some fields lost to newer writes (see `stale_fields` and `conflicts`).
    case merged
    /// Seen before; nothing changed.
    case duplicate
    /// Refused as a whole; the server keeps it and lists it so nothing is lost.
    case rejected
}
