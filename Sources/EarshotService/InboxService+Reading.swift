import EarshotCore
import EarshotStore
import Foundation

/// What clients read: queue windows, a thread, the summary, the event log. Any responder may
/// read everything; each read is one snapshot of the store.
extension InboxService {
    /// One window of a queue view. `mine` is the caller's, `resolved` is since the start of
    /// today (UTC). Served from the view's index range whatever the anchor and filter.
    public func queueWindow(_ request: QueueWindowRequest, for login: String) throws -> [QueueRow] {
        guard (1...10_000).contains(request.limit) else { throw ServiceError.invalid("limit must be between 1 and 10000") }
        let filter = try checked(request.filter)
        let now = clock.now()
        return try store.read { reader in
            let me = try responder(login, in: reader)
            let view = queueView(request.view, for: me, at: now)
            let start: QueueStart = switch request.anchor {
            case .first: .first
            case .last: .last
            case let .after(position): .after(QueueCursor(sortKey: position.sortKey, id: position.id))
            case let .before(position): .before(QueueCursor(sortKey: position.sortKey, id: position.id))
            }
            let channels = try reader.channels()
            let narrowed = narrowing(filter, channels: channels)
            let conversations = try reader.queue(view, from: start, narrowedBy: narrowed, limit: request.limit)
            return try queueRows(conversations, channels: channels, in: reader, now: now) { conversation in
                let cursor = QueueCursor(after: conversation, in: view, narrowedBy: narrowed)
                return QueuePosition(sortKey: cursor.sortKey, id: cursor.id)
            }
        }
    }

    /// Conversations as a queue shows them: the customer's and assignee's names, the channel,
    /// the SLA mark; `position` places each in its view (queue windows and a wave's list).
    func queueRows(
        _ conversations: [Conversation], channels: [Channel], in reader: any InboxReader, now: Timestamp,
        position: (Conversation) -> QueuePosition
    ) throws -> [QueueRow] {
        var names = Names(reader: reader)
        let handles = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, $0.handle) })
        return try conversations.map { conversation in
            QueueRow(
                conversation: ReadClipping.conversation(conversation), customer: try names.customer(conversation.customerID),
                assignee: try conversation.assigneeID.flatMap { try names.login(of: $0) }, position: position(conversation),
                channel: handles[conversation.channelID] ?? "?", sla: slaMark(of: conversation, at: now))
        }
    }

    /// A conversation as the thread pane shows it; `presence` is left empty (the daemon fills it).
    public func thread(_ id: ConversationID, for login: String) throws -> ConversationThread {
        let now = clock.now()
        return try store.read { reader in
            let me = try responder(login, in: reader)
            let conversation = try self.conversation(id, in: reader)
            guard let channel = try reader.channel(conversation.channelID), let customer = try reader.customer(conversation.customerID) else {
                throw ServiceError.invalid("conversation \(id) names a channel or customer that is not stored; run `earshot db check`")
            }
            var names = Names(reader: reader)
            // Kind breaks ties (a message before the reply to it, a note after both), then storage order.
            // The platform's raw payload stays in the store: kilobytes per message that no pane
            // shows, and a long thread must stay well under the protocol's 1 MiB message limit.
            var timed: [(entry: ThreadEntry, rank: Int)] = try reader.mentions(in: id).map { mention in
                var shown = mention
                shown.rawPayload = ""
                return (.message(shown), 0)
            }
            for reply in try reader.replies(in: id) where reply.state != .draft {
                let author = try names.responder(reply.authorID)
                timed.append((.reply(reply, author: author?.login ?? "?", initials: author?.initials ?? "?"), 1))
            }
            for note in try reader.notes(in: id) {
                timed.append((.note(note, author: try names.responder(note.authorID)?.login ?? "?"), 2))
            }
            let entries = timed.enumerated().sorted { left, right in
                (left.element.entry.time, left.element.rank, left.offset) < (right.element.entry.time, right.element.rank, right.offset)
            }.map(\.element.entry)
            let earlier = try reader.conversations(of: customer.id, excluding: id, limit: 10).map { other in
                EarlierConversation(
                    id: other.id, status: other.status, startedAt: other.createdAt, preview: other.preview,
                    notes: try reader.noteCount(in: other.id))
            }
            return ConversationThread(
                conversation: ReadClipping.conversation(conversation), channel: channel, customer: customer,
                assignee: try conversation.assigneeID.flatMap { try names.login(of: $0) }, entries: entries.map(ReadClipping.entry),
                earlier: earlier, presence: [],
                myDraft: try reader.draft(in: id, by: me.id).flatMap { $0.text.isEmpty ? nil : ReadClipping.reply($0) },
                sla: slaMark(of: conversation, at: now))
        }
    }

    /// The caller, their open load, the unassigned and breached backlogs, the oldest wait.
    public func summary(for login: String) throws -> InboxSummary {
        let now = clock.now()
        return try store.read { reader in
            let me = try responder(login, in: reader)
            return InboxSummary(
                me: ReadClipping.responder(me), mine: try reader.countOpen(assignedTo: me.id), unassigned: try reader.countUnassigned(),
                breached: try reader.countBreached(at: now), oldestWaitSince: try reader.waitingSummary().oldest, now: now)
        }
    }

    /// Events after `after`, oldest first, at most `limit` (1 to 10,000). With `after` nil, no
    /// events but the newest id: a client starts its stream from now.
    public func events(after: EventID?, limit: Int, for login: String) throws -> EventBatch {
        guard (1...10_000).contains(limit) else { throw ServiceError.invalid("limit must be between 1 and 10000") }
        return try store.read { reader in
            _ = try responder(login, in: reader)
            guard let after else { return EventBatch(events: [], lastID: try reader.latestEventID()) }
            let events = try reader.events(after: after, limit: limit).map(ReadClipping.event)
            return EventBatch(events: events, lastID: events.last?.id ?? after)
        }
    }

    /// The SLA mark of a conversation at `now`. Breached is the breached view's rule (due time
    /// reached); warning and ok are the policy's live state, which counts business hours.
    public func slaMark(of conversation: Conversation, at now: Timestamp) -> SLAMark {
        guard conversation.status != .resolved, let due = conversation.slaDueAt else { return .none }
        if due <= now { return .breached }
        switch sla.state(of: conversation, now: now) {
        case .warning?, .breached?: return .warning
        case .ok?, nil: return .ok
        }
    }

    /// A view by its name, for this responder at this time.
    func queueView(_ name: QueueViewName, for me: Responder, at now: Timestamp) -> QueueView {
        switch name {
        case .mine: .mine(me.id)
        case .unassigned: .unassigned
        case .open: .allOpen
        case .breached: .breached(now: now)
        case .snoozed: .snoozed
        case .aside: .setAside
        case .resolved: .resolved(since: Timestamp(secondsSinceEpoch: now.millisecondsSinceEpoch.floorDivided(by: 86_400_000) * 86_400))
        }
    }

    /// The filter with its text fields within `FieldLimits.filter` and free of control characters.
    private func checked(_ filter: QueueFilter) throws -> QueueFilter {
        var checked = filter
        checked.search = try filter.search.map { try FieldLimits.clean($0, "the search text", limit: FieldLimits.filter, oneLine: true) }
        checked.channel = try filter.channel.map { try FieldLimits.clean($0, "the channel filter", limit: FieldLimits.filter, oneLine: true) }
        checked.label = try filter.label.map { try FieldLimits.clean($0, "the label filter", limit: FieldLimits.filter, oneLine: true) }
        return checked
    }

    /// The store's form of a filter: the channel handle as ids, the label as stored.
    private func narrowing(_ filter: QueueFilter, channels: [Channel]) -> QueueNarrowing {
        QueueNarrowing(
            channelIDs: filter.channel.map { handle in
                let wanted = (handle.hasPrefix("@") ? String(handle.dropFirst()) : handle).lowercased()
                return channels.filter { $0.handle.lowercased() == wanted }.map(\.id)
            },
            label: filter.label.map { $0.trimmingCharacters(in: .whitespaces).lowercased() },
            triageClass: filter.triageClass, priority: filter.priority,
            search: filter.search.flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// Logins, initials and handles looked up once per read, however many rows name them.
private struct Names {
    let reader: any InboxReader
    private var responders: [ResponderID: Responder?] = [:]
    private var customers: [CustomerID: String] = [:]

    init(reader: any InboxReader) { self.reader = reader }

    mutating func responder(_ id: ResponderID) throws -> Responder? {
        if let known = responders[id] { return known }
        let found = try reader.responder(id)
        responders[id] = found
        return found
    }

    mutating func login(of id: ResponderID) throws -> String? { try responder(id)?.login }

    mutating func customer(_ id: CustomerID) throws -> String {
        if let known = customers[id] { return known }
        let handle = try reader.customer(id)?.handle ?? "?"
        customers[id] = handle
        return handle
    }
}
