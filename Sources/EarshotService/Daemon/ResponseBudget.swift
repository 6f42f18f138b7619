import EarshotCore
import Foundation

/// Long answers are cut to fit one message (docs/protocol.md, Limits): a client accepts at most
/// `WireProtocol.maximumMessageBytes`, and `events` with its 10,000 limit, or a queue window of
/// 10,000 rows, can be more. What is left out is read with the next request; the daemon marks
/// the cut answer `"partial": true`.
enum ResponseBudget {
    /// Room for the rows or events; the rest of the message (id, keys) is small.
    static let bytes = WireProtocol.maximumMessageBytes / 2

    /// The answer cut to fit, or nil when it cannot be cut (or need not be).
    static func cut<T>(_ answer: T) -> T? {
        guard let cuttable = answer as? any CutToFit else { return nil }
        return cuttable.cut(toFit: bytes) as? T
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

    static func sizes<T: Encodable>(_ elements: [T]) -> [Int] {
        let encoder = WireProtocol.encoder
        return elements.map { (try? encoder.encode($0).count) ?? 0 }
    }
}

/// An answer that can be cut to its first part, the client asking again for the rest.
protocol CutToFit {
    /// Nil when all of it fits.
    func cut(toFit bytes: Int) -> Self?
}

/// Queue rows, first ones first; the client asks again `after` the last row's position.
extension Array: CutToFit where Element == QueueRow {
    func cut(toFit bytes: Int) -> [QueueRow]? {
        let count = ResponseBudget.fitting(ResponseBudget.sizes(self))
        return count < self.count ? Array(prefix(count)) : nil
    }
}

/// Events, oldest first (at least one); `lastID` is the last one sent, so the client's next
/// `{"after": lastID}` continues where this one stopped.
extension EventBatch: CutToFit {
    func cut(toFit bytes: Int) -> EventBatch? {
        let count = ResponseBudget.fitting(ResponseBudget.sizes(events))
        guard count < events.count else { return nil }
        return EventBatch(events: Array(events.prefix(count)), lastID: events[count - 1].id)
    }
}
