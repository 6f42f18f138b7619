import EarshotCore
import Foundation

/// Long answers are cut to fit one message (docs/protocol.md, Limits): a client accepts at most
/// `WireProtocol.maximumMessageBytes`, and `events` with its 10,000 limit, or a queue window of
/// 10,000 rows, can be more. What is left out is read with the next request.
enum ResponseBudget {
    /// Room for the rows or events; the rest of the message (id, keys) is small.
    static let bytes = WireProtocol.maximumMessageBytes / 2

    /// An answer cut to fit, marked so the client knows to ask again: the daemon adds
    /// `"partial": true` beside the result.
    struct Partial {
        let result: Any
    }

    /// Queue rows, first ones first, as many as fit; a cut answer is `Partial` (ask again
    /// `after` the last row's position).
    static func rows(_ rows: Any) -> Any {
        guard let rows = rows as? [Any] else { return rows }
        let count = fitting(rows.map(size(of:)))
        return count == rows.count ? rows : Partial(result: Array(rows.prefix(count)))
    }

    /// Events, oldest first, as many as fit (at least one); `lastID` is the last one sent, so
    /// the client's next `{"after": lastID}` continues where this one stopped.
    static func events(_ batch: EventBatch) -> Any {
        // Each event measured once, encoded as it will be sent; the batch is made objects once.
        let encoder = WireProtocol.encoder
        let count = fitting(batch.events.map { (try? encoder.encode($0).count) ?? 0 })
        guard count < batch.events.count else { return WireProtocol.object(batch) }
        let cut = EventBatch(events: Array(batch.events.prefix(count)), lastID: batch.events[count - 1].id)
        return Partial(result: WireProtocol.object(cut))
    }

    /// How many of the first elements (of these encoded sizes) fit within `bytes`, never none
    /// when there is something: one is kept even if it alone is large (the daemon's last check
    /// refuses a message that is still too big, rather than sending it).
    static func fitting(_ sizes: [Int]) -> Int {
        var total = 0
        var count = 0
        for size in sizes {
            total += size + 1
            if total > bytes && count > 0 { break }
            count += 1
        }
        return count
    }

    static func size(of element: Any) -> Int {
        (try? JSONSerialization.data(withJSONObject: element, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]))?.count ?? 0
    }
}
