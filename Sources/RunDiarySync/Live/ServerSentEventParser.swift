/// Turns the bytes of a `text/event-stream` body into events, as the HTML Standard's event stream interpretation
/// says (§9.2.6), however the bytes are split into chunks.
///
/// One deliberate difference from a browser: an event that names a type but carries no `data:` line is
/// dispatched (with empty data) rather than dropped, because the live channel's `signed_out` and `reconnect`
/// events need not carry data.
public struct ServerSentEventParser: Sendable {
    /// The id of the last event dispatched (its `id:` or an earlier one), to send as `Last-Event-ID` when
    /// reconnecting.
    public private(set) var lastEventID = ""
    /// The reconnection delay the server asked for (`retry:`), in milliseconds.
    public private(set) var retryMilliseconds: Int?

    private var line: [UInt8] = []
    private var afterCarriageReturn = false
    private var atStreamStart = true
    /// The `id:` seen so far; it becomes ``lastEventID`` when the event is complete.
    private var idBuffer = ""
    private var eventType = ""
    private var data: [UInt8] = []
    private var hasData = false

    public init() {}

    /// Consumes the next chunk of the body and returns the events it completes.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case 0x0A where afterCarriageReturn:
                // The LF of a CRLF: the line already ended at the CR.
                afterCarriageReturn = false
            case 0x0A, 0x0D:
                afterCarriageReturn = byte == 0x0D
                if let event = endLine() { events.append(event) }
            default:
                afterCarriageReturn = false
                line.append(byte)
            }
        }
        return events
    }

    /// The line in `line` is complete: process it as a field, or as the blank line that dispatches an event.
    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            // A byte order mark may open the stream; it is not part of the first line.
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }  // a comment, such as a heartbeat

        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = line[...]
            value = []
        }
        switch String(decoding: name, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id" where !value.contains(0):
            idBuffer = String(decoding: value, as: UTF8.self)
        case "retry" where !value.isEmpty && value.allSatisfy({ (0x30...0x39).contains($0) }):
            retryMilliseconds = Int(String(decoding: value, as: UTF8.self))
        default:
            break  // unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        lastEventID = idBuffer
        guard hasData || !eventType.isEmpty else { return nil }
        return ServerSentEvent(
            type: eventType.isEmpty ? "message" : eventType, data: String(decoding: data, as: UTF8.self),
            lastEventID: lastEventID)
    }
}
