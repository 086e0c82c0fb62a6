/// One event of a `text/event-stream` response.
public struct ServerSentEvent: Hashable, Sendable {
    /// The `event:` field; `message` when the server named none.
    public var type: String
    /// The `data:` lines joined with newlines.
    public var data: String
    /// The stream's last event id when the event was dispatched (the `id:` of this or an earlier event).
    public var lastEventID: String

    public init(type: String = "message", data: String = "", lastEventID: String = "") {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }
}
