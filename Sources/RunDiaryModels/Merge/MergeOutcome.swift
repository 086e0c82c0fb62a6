/// The overall verdict on a mutation.
public enum MergeOutcome: Hashable, Sendable {
    /// Every field the mutation set was taken (or the delete was recorded).
    case applied
    /// Some fields lost to newer writes (stale, or conflicts the stored value won); the names are sorted.
    case merged(lostFields: [String])
    /// The mutation had been applied before; nothing changed.
    case duplicate
    /// Refused as a whole; the record is unchanged.
    case rejected(MergeRejection)
}
