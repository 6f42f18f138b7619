@testable import EarshotAccounts
import Testing

/// The SSE reader against the event-stream rules and Mastodon's own stream (`:)` on connect,
/// `:thump` heartbeats, `event: notification` with the JSON as data), cut at every byte.
@Suite struct EventStreamParserTests {
    static let mastodon = ":)\n:thump\nevent: notification\ndata: {\"id\":\"1\",\"type\":\"mention\"}\n\n:thump\nevent: delete\ndata: 42\n\n"

    @Test func readsMastodonsStreamWhereverTheChunksAreCut() {
        var whole = EventStreamParser()
        let expected = whole.feed(Array(Self.mastodon.utf8))
        #expect(expected == [
            ServerSentEvent(name: "notification", data: #"{"id":"1","type":"mention"}"#, id: nil),
            ServerSentEvent(name: "delete", data: "42", id: nil),
        ])
        #expect(whole.comments == 3)
        let bytes = Array(Self.mastodon.utf8)
        for cut in 1..<bytes.count {
            var parser = EventStreamParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(events == expected, "cut at byte \(cut)")
        }
    }

    @Test func linesEndInLFCROrCRLFEvenWhenTheCRAndLFArriveApart() {
        var parser = EventStreamParser()
        #expect(parser.feed(Array("data: a\r".utf8)).isEmpty)
        // The LF of that CRLF arrives in the next chunk: it ends nothing more.
        #expect(parser.feed(Array("\ndata: b\r\r".utf8)) == [ServerSentEvent(name: "message", data: "a\nb", id: nil)])
        #expect(parser.feed(Array("data:c\n\n".utf8)) == [ServerSentEvent(name: "message", data: "c", id: nil)])
    }

    @Test func fieldsFollowTheStandard() {
        var parser = EventStreamParser()
        let text = "\u{FEFF}id: 7\nretry: 3000\nevent: x\ndata\ndata:  two spaces\nunknown: y\n\nevent: empty\n\ndata: after\n\n"
        #expect(parser.feed(Array(text.utf8)) == [
            ServerSentEvent(name: "x", data: "\n two spaces", id: "7"),
            // An event with no data is not dispatched; the id carries over.
            ServerSentEvent(name: "message", data: "after", id: "7"),
        ])
        #expect(parser.retryMilliseconds == 3000)
    }

    @Test func multibyteTextSplitAcrossChunksIsWhole() {
        let bytes = Array("data: 配達済み 🙏\n\n".utf8)
        var parser = EventStreamParser()
        var events: [ServerSentEvent] = []
        for byte in bytes { events += parser.feed([byte]) }
        #expect(events.map(\.data) == ["配達済み 🙏"])
    }
}
