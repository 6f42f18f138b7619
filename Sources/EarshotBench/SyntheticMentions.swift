import EarshotCore

/// Deterministic mention-like rows for benchmarks and crash tests: the same index
/// always yields the same text, author and time, so runs are comparable.
struct SyntheticMentions {
    static let openers = [
        "my order hasn't arrived yet, can you help?", "the app keeps crashing when I log in",
        "thanks for the quick fix yesterday!", "why was I charged twice this month?",
        "¿dónde está mi pedido? llevo una semana esperando", "ログインできません。助けてください",
        "still waiting on a refund 😤", "is the outage in Berlin fixed now?",
    ]

    let start = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
    let customers: Int

    func externalID(_ index: Int) -> String { "bench-\(index)" }

    func customerIndex(_ index: Int) -> Int { (index &* 7919) % customers }

    func text(_ index: Int) -> String {
        "@AcmeSupport \(Self.openers[index % Self.openers.count]) #\(index)"
    }

    func createdAt(_ index: Int) -> Timestamp { start.adding(milliseconds: Int64(index) * 250) }

    func rawPayload(_ index: Int) -> String {
        #"{"id":"\#(externalID(index))","author":"customer\#(customerIndex(index))","created_at":\#(createdAt(index).millisecondsSinceEpoch)}"#
    }
}
