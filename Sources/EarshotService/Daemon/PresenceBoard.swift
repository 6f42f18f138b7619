import EarshotCore
import Foundation
import Synchronization

/// Who is looking at or typing in which conversation, right now. Kept in the daemon's memory
/// only (it is not history), per client connection, and cleared when a client goes away; the
/// clients of other daemons sharing the database are known from their daemons' notes, by
/// daemon, and forgotten when that daemon is gone.
final class PresenceBoard: Sendable {
    /// Session → (conversation, who and how): one place per client connection.
    private let places = Mutex<[ObjectIdentifier: (conversation: ConversationID, entry: PresenceEntry)]>([:])
    /// Another daemon → its clients' people, by conversation.
    private let remote = Mutex<[String: [ConversationID: [PresenceEntry]]]>([:])

    /// What another daemon said its clients are doing in a conversation.
    func setRemote(_ daemon: String, conversation: ConversationID, people: [PresenceEntry]) {
        remote.withLock { $0[daemon, default: [:]][conversation] = people.isEmpty ? nil : people }
    }

    /// The other daemons known to have people somewhere.
    var remoteDaemons: [String] { remote.withLock { $0.filter { !$0.value.isEmpty }.map(\.key) } }

    /// Forgets a daemon that has gone; the conversations it had people in.
    func forgetRemote(_ daemon: String) -> [ConversationID] {
        remote.withLock { Array(($0.removeValue(forKey: daemon) ?? [:]).keys) }
    }

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
    /// `localOnly`: this daemon's clients alone (what it tells the others).
    func people(in conversation: ConversationID, excluding: ObjectIdentifier? = nil, localOnly: Bool = false) -> [PresenceEntry] {
        let elsewhere = localOnly ? [] : remote.withLock { $0.values.flatMap { $0[conversation] ?? [] } }
        return places.withLock { places in
            var strongest: [String: PresenceState] = [:]
            for (session, place) in places where place.conversation == conversation && session != excluding {
                if strongest[place.entry.login] != .composing { strongest[place.entry.login] = place.entry.state }
            }
            for entry in elsewhere where strongest[entry.login] != .composing { strongest[entry.login] = entry.state }
            return strongest.map { PresenceEntry(login: $0.key, state: $0.value) }
                .sorted { ($0.state == .composing ? 0 : 1, $0.login) < ($1.state == .composing ? 0 : 1, $1.login) }
        }
    }
}
