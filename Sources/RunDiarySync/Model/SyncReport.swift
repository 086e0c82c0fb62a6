/// What one ``SyncEngine/sync()`` did.
public struct SyncReport: Hashable, Sendable {
    /// Mutations the server acknowledged (any verdict).
    public var acknowledged = 0
    /// Of those, how many it rejected.
    public var rejected = 0
    /// Conflicts reported on this device's mutations.
    public var conflicts = 0
    /// Changed records pulled.
    public var pulled = 0
    /// Whether the server asked for a reset (410 `reset_required`) and everything was pulled again.
    public var reset = false
    /// After a reset: mutations queued to push back what the device held and the server lacked (and pushed in the
    /// same sync).
    public var pushedBack = 0

    public init() {}
}
