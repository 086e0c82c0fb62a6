/// Response to an exchange (`POST /v1/sync/exchange`): a push's verdicts, then the page pulled after them.
public struct ExchangeResponse: Codable, Hashable, Sendable {
    /// The push's answer, as `POST /v1/sync/push` gives it.
    public var push: PushResponse
    /// The changes after the request's cursor, read after the push (its own changes among them).
    public var pull: PullResponse

    public init(push: PushResponse, pull: PullResponse) {
        self.push = push
        self.pull = pull
    }
}
