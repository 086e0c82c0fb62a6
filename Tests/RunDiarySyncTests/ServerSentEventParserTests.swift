import RunDiarySync
import Testing

@Suite("Server-Sent Events are parsed as the HTML Standard says, however the bytes are split")
struct ServerSentEventParserTests {
    /// Feeds `text` in chunks of `size` bytes and collects the events.
    private func events(_ text: String, chunk size: Int = .max) -> (events: [ServerSentEvent], parser: ServerSentEventParser) {
        var parser = ServerSentEventParser()
        let bytes = Array(text.utf8)
        var events: [ServerSentEvent] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            events += parser.consume(bytes[start..<end])
            start = end
        }
        return (events, parser)
    }

    @Test("The live channel's changed event gives its type, id and data")
    func changedEvent() {
        let (events, parser) = events("event: changed\nid: c1.djo0Mg\ndata: {\"version\":42}\n\n")
        #expect(events == [ServerSentEvent(type: "changed", data: #"{"version":42}"#, lastEventID: "c1.djo0Mg")])
        #expect(parser.lastEventID == "c1.djo0Mg")
    }

    @Test("Every split of the stream into chunks gives the same events", arguments: [1, 2, 3, 5, 7, 64])
    func chunking(size: Int) {
        let text = "retry: 2500\r\n: heartbeat\r\n\r\nevent: changed\r\nid: 7\r\ndata: a\r\ndata: b\r\n\r\nevent: reconnect\r\n\r\n"
        let whole = events(text).events
        #expect(events(text, chunk: size).events == whole)
        #expect(
            whole == [
                ServerSentEvent(type: "changed", data: "a\nb", lastEventID: "7"),
                ServerSentEvent(type: "reconnect", data: "", lastEventID: "7"),
            ])
    }

    @Test("Lines may end with LF, CR or CRLF, mixed")
    func lineEndings() {
        let (events, _) = events("data: one\rdata: two\r\n\ndata: three\n\r")
        #expect(events.map(\.data) == ["one\ntwo", "three"])
        #expect(events.allSatisfy { $0.type == "message" })
    }

    @Test("A CRLF split between two chunks is one line end, not two")
    func splitCRLF() {
        var parser = ServerSentEventParser()
        var events = parser.consume(Array("data: x\r".utf8))
        events += parser.consume(Array("\n\r".utf8))
        events += parser.consume(Array("\ndata: y\n\n".utf8))
        #expect(events.map(\.data) == ["x", "y"])
    }

    @Test("Comments (heartbeats) and unknown fields dispatch nothing")
    func commentsAndUnknownFields() {
        let (events, parser) = events(": ping\n\n:\n\nfoo: bar\n\n")
        #expect(events.isEmpty)
        #expect(parser.retryMilliseconds == nil)
    }

    @Test("retry: takes only ASCII digits")
    func retry() {
        #expect(events("retry: 1500\n\n").parser.retryMilliseconds == 1500)
        #expect(events("retry: 15s\n\n").parser.retryMilliseconds == nil)
        #expect(events("retry:\n\n").parser.retryMilliseconds == nil)
    }

    @Test("An id containing NUL is ignored; an empty id clears it; the id carries to later events")
    func ids() {
        let (events, parser) = events("id: 1\ndata: a\n\nid: 2\u{0}\ndata: b\n\ndata: c\n\nid\ndata: d\n\n")
        #expect(events.map(\.lastEventID) == ["1", "1", "1", ""])
        #expect(parser.lastEventID == "")
    }

    @Test("A field without a colon has an empty value; only one leading space is removed")
    func fieldForms() {
        let (events, _) = events("data\ndata:  two spaces\ndata:none\n\n")
        #expect(events.map(\.data) == ["\n two spaces\nnone"])
    }

    @Test("A byte order mark opens the stream without spoiling the first field")
    func byteOrderMark() {
        let (events, _) = events("\u{FEFF}event: changed\ndata: 1\n\n")
        #expect(events.map(\.type) == ["changed"])
    }

    @Test("An event cut off by the end of the stream is not dispatched, and its id is not taken")
    func incompleteEvent() {
        let (events, parser) = events("id: 5\ndata: done\n\nid: 6\nevent: changed\ndata: half")
        #expect(events.map(\.data) == ["done"])
        #expect(parser.lastEventID == "5")
    }

    @Test("UTF-8 split across chunks is decoded whole")
    func utf8AcrossChunks() {
        #expect(events("data: Hüfte 🏃\n\n", chunk: 1).events.map(\.data) == ["Hüfte 🏃"])
    }
}
