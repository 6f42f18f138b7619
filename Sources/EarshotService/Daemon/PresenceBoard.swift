import Foundation
import Synchronization

/// Who is looking at or typing in which conversation, right now. Kept in the daemon's memory
/// only (it is not history), per client connection, and cleared when a client goes away.
final class PresenceBoard: Sendable {
    enum State: String, Sendable { case viewing, composing }

    struct Entry: Equatable, Sendable {
        let login: String
        let state: State
    }

    /// Session → (conversation, entry): one place per client connection.
    private let places = Mutex<[ObjectIdentifier: (conversation: Int64, entry: Entry)]>([:])

    /// Sets where a session is; returns the conversations whose presence changed.
    func set(_ session: ObjectIdentifier, login: String, conversation: Int64?, state: State?) -> [Int64] {
        places.withLock { places in
            let previous = places[session]?.conversation
            if let conversation, let state {
                places[session] = (conversation, Entry(login: login, state: state))
            } else {
                places.removeValue(forKey: session)
            }
            return Array(Set([previous, conversation].compactMap { $0 }))
        }
    }

    func clear(_ session: ObjectIdentifier) -> Int64? {
        places.withLock { $0.removeValue(forKey: session)?.conversation }
    }

    /// Everyone in a conversation, composers first, each login once (its strongest state);
    /// `excluding` leaves out one connection (the one asking).
    func people(in conversation: Int64, excluding: ObjectIdentifier? = nil) -> [Entry] {
        places.withLock { places in
            var strongest: [String: State] = [:]
            for (session, place) in places where place.conversation == conversation && session != excluding {
                if strongest[place.entry.login] != .composing { strongest[place.entry.login] = place.entry.state }
            }
            return strongest.map { Entry(login: $0.key, state: $0.value) }
                .sorted { ($0.state == .composing ? 0 : 1, $0.login) < ($1.state == .composing ? 0 : 1, $1.login) }
        }
    }

    static func message(conversation: Int64, people: [Entry]) -> [String: Any] {
        ["presence": ["conversation": conversation, "people": people.map { ["login": $0.login, "state": $0.state.rawValue] }]]
    }
}
