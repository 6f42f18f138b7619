import EarshotCore
import Foundation
import Synchronization

/// Who is looking at or typing in which conversation, right now. Kept in the daemon's memory
/// only (it is not history), per client connection, and cleared when a client goes away.
final class PresenceBoard: Sendable {
    /// Session → (conversation, who and how): one place per client connection.
    private let places = Mutex<[ObjectIdentifier: (conversation: ConversationID, entry: PresenceEntry)]>([:])

    /// Sets where a session is (nil or `none`: nowhere); returns the conversations whose presence changed.
    func set(_ session: ObjectIdentifier, login: String, conversation: ConversationID?, state: PresenceState) -> [ConversationID] {
        places.withLock { places in
            let previous = places[session]?.conversation
            if let conversation, state != .none {
                places[session] = (conversation, PresenceEntry(login: login, state: state))
            } else {
                places.removeValue(forKey: session)
            }
            return Array(Set([previous, state == .none ? nil : conversation].compactMap { $0 }))
        }
    }

    func clear(_ session: ObjectIdentifier) -> ConversationID? {
        places.withLock { $0.removeValue(forKey: session)?.conversation }
    }

    /// Everyone in a conversation, composers first, each login once (its strongest state);
    /// `excluding` leaves out one connection (the one asking).
    func people(in conversation: ConversationID, excluding: ObjectIdentifier? = nil) -> [PresenceEntry] {
        places.withLock { places in
            var strongest: [String: PresenceState] = [:]
            for (session, place) in places where place.conversation == conversation && session != excluding {
                if strongest[place.entry.login] != .composing { strongest[place.entry.login] = place.entry.state }
            }
            return strongest.map { PresenceEntry(login: $0.key, state: $0.value) }
                .sorted { ($0.state == .composing ? 0 : 1, $0.login) < ($1.state == .composing ? 0 : 1, $1.login) }
        }
    }
}
