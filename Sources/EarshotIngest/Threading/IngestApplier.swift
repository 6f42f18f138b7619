import EarshotCore
import EarshotStore

/// What became of one item.
public enum ApplyOutcome: Equatable, Sendable {
    /// Stored; the conversation it joined or opened.
    case stored(ConversationID)
    /// Already stored under the same (platform, external id): nothing written.
    case duplicate
    /// A brand reply whose parent has not been seen yet; applied when the parent arrives.
    case deferred
    /// A brand's own post (no customer tweet to answer): stored as sent, in no conversation.
    case posted
    /// Not stored; the message says why and what to do.
    case rejected(String)
}

/// Applies incoming items to the store inside the caller's write transaction: finds or
/// creates channel and customer, threads each mention into a conversation, triages new
/// conversations, and records every change as an event.
///
/// Threading rules (docs/ingest.md): a mention joins the conversation of the post it
/// answers (a stored mention by the same customer, or one of our replies to them), else of
/// the platform thread it belongs to (same customer); a resolved conversation is reopened as
/// a new cycle; otherwise it opens a new conversation. A mention whose answers arrived
/// first adopts their conversation. Retweets and quotes of the brand's own posts open
/// conversations that wait for nobody.
///
/// Not thread-safe: one applier per ingest, used from one thread. Caches hold row ids, so
/// call `forgetCaches()` after a transaction rolls back.
public final class IngestApplier {
    let clock: any Clock
    /// The brand account used when a record does not name one (`--channel`).
    public var defaultChannel: String?
    var triage: any IngestTriage
    /// SLA targets, for each conversation's due time as it starts or stops waiting.
    public var sla = SLAPolicy()
    private var channels: [ChannelKey: Channel] = [:]
    private var customers: [ChannelKey: CustomerID] = [:]
    private var brandResponders: [String: Responder] = [:]
    /// Brand replies waiting for the post they answer, by that post's platform and id.
    private var waitingReplies: [ChannelKey: [IncomingBrandReply]] = [:]
    private static let customerCacheLimit = 200_000

    struct ChannelKey: Hashable {
        let platform: Platform
        let name: String
    }

    public init(clock: any Clock, triage: any IngestTriage, defaultChannel: String? = nil) {
        self.clock = clock
        self.triage = triage
        self.defaultChannel = defaultChannel
    }

    public func forgetCaches() {
        channels.removeAll()
        customers.removeAll()
        brandResponders.removeAll()
    }

    /// Brand replies still waiting for a parent that never came in this input.
    public func takeUnansweredReplies() -> [IncomingBrandReply] {
        defer { waitingReplies.removeAll() }
        return waitingReplies.values.flatMap { $0 }.sorted { $0.createdAt < $1.createdAt }
    }

    public func apply(_ item: IncomingItem, in writer: any InboxWriter) throws -> ApplyOutcome {
        switch item {
        case let .mention(mention): try apply(mention, in: writer)
        case let .brandReply(reply): try apply(reply, in: writer)
        }
    }

    // MARK: - Customer mentions

    func apply(_ incoming: IncomingMention, in writer: any InboxWriter) throws -> ApplyOutcome {
        if try writer.mentionExists(platform: incoming.platform, externalID: incoming.externalID) { return .duplicate }
        guard let channelHandle = incoming.channelHandle ?? defaultChannel, !channelHandle.isEmpty else {
            return .rejected("no brand account for this record: pass --channel HANDLE (the account the feed was fetched for)")
        }
        let channel = try self.channel(incoming.platform, channelHandle, in: writer)
        let customer = try self.customer(incoming, in: writer)
        let now = clock.now()
        let newMention = NewMention(
            platform: incoming.platform, externalID: incoming.externalID, channelID: channel.id,
            customerID: customer, conversationID: ConversationID(0), kind: incoming.kind, text: incoming.text,
            createdAt: incoming.createdAt, inReplyToExternalID: incoming.inReplyToExternalID,
            platformConversationID: incoming.platformConversationID, rawPayload: incoming.rawPayload)
        let broadcastOfOurs = try isRepostOfChannel(incoming, channel: channel, in: writer)

        var target = broadcastOfOurs ? nil : try parentConversation(of: incoming, customer: customer, channel: channel, in: writer)
        // Answers that arrived before this post: adopt their conversation, merge the rest.
        let children = try writer.hasReplies(platform: incoming.platform, to: incoming.externalID)
            ? writer.mentions(platform: incoming.platform, replyingTo: incoming.externalID)
                .filter { $0.customerID == customer && $0.channelID == channel.id }
            : []
        var childConversations: [ConversationID] = []
        for child in children where !childConversations.contains(child.conversationID) {
            childConversations.append(child.conversationID)
        }
        if target == nil, let first = childConversations.first, let adopted = try writer.conversation(first) {
            target = adopted
        }
        let stored: ConversationID
        if var conversation = target {
            stored = try join(newMention, incoming: incoming, into: &conversation, channel: channel, now: now, in: writer)
            for other in childConversations where other != conversation.id {
                try merge(other, into: stored, now: now, in: writer)
            }
        } else {
            stored = try open(newMention, incoming: incoming, channel: channel, broadcast: broadcastOfOurs, now: now, in: writer)
        }
        try applyWaitingReplies(answering: incoming.platform, incoming.externalID, in: writer)
        return .stored(stored)
    }

    private func parentConversation(
        of incoming: IncomingMention, customer: CustomerID, channel: Channel, in writer: any InboxWriter
    ) throws -> Conversation? {
        if let parentID = incoming.inReplyToExternalID {
            if let parent = try writer.mentionLink(platform: incoming.platform, externalID: parentID),
               parent.customerID == customer, parent.channelID == channel.id {
                return try writer.conversation(parent.conversationID)
            }
            if let ours = try writer.reply(platform: incoming.platform, platformID: parentID),
               let conversation = try writer.conversation(ours.conversationID),
               conversation.customerID == customer, conversation.channelID == channel.id {
                return conversation
            }
        }
        if let thread = incoming.platformConversationID, thread != incoming.externalID,
           let earlier = try writer.latestMention(platform: incoming.platform, inThread: thread, by: customer),
           earlier.channelID == channel.id {
            return try writer.conversation(earlier.conversationID)
        }
        return nil
    }

    private func isRepostOfChannel(_ incoming: IncomingMention, channel: Channel, in writer: any InboxWriter) throws -> Bool {
        guard incoming.kind == .retweet || incoming.kind == .quote else { return false }
        if let author = incoming.referencedAuthorHandle, Self.caseFolded(author) == Self.caseFolded(channel.handle) { return true }
        if let referenced = incoming.referencedExternalID,
           try writer.reply(platform: incoming.platform, platformID: referenced) != nil {
            return true
        }
        return false
    }

    private func open(
        _ mention: NewMention, incoming: IncomingMention, channel: Channel, broadcast: Bool, now: Timestamp,
        in writer: any InboxWriter
    ) throws -> ConversationID {
        var (triageClass, reason) = triage.triage(
            TriageInput(text: incoming.text, kind: incoming.kind, authorHandle: incoming.authorHandle,
                        channelHandle: channel.handle, referencesChannelPost: broadcast),
            at: incoming.createdAt)
        if broadcast && triageClass != .broadcast {
            (triageClass, reason) = (.broadcast, "broadcast: \(incoming.kind.rawValue) of @\(channel.handle)'s post")
        }
        let waits = !broadcast && triageClass != .broadcast
        let (conversation, _) = try writer.openConversation(
            NewConversation(
                channelID: channel.id, customerID: mention.customerID, triageClass: triageClass, triageReason: reason,
                startedAt: incoming.createdAt,
                slaDueAt: waits ? sla.dueAt(waitingSince: incoming.createdAt, kind: .firstResponse, priority: .normal) : nil,
                preview: Self.preview(incoming.text), waitingForUs: waits),
            with: mention,
            because: EventDraft(.opened, by: .ingest, at: now, detail: Self.messageDetail(incoming)))
        return conversation.id
    }

    private func join(
        _ mention: NewMention, incoming: IncomingMention, into conversation: inout Conversation, channel: Channel,
        now: Timestamp, in writer: any InboxWriter
    ) throws -> ConversationID {
        let time = incoming.createdAt
        let reopened = conversation.customerWrote(at: time, preview: Self.preview(incoming.text), at: now, sla: sla)
        // A new cycle is triaged afresh, unless a person fixed the class.
        if reopened, !conversation.triageLocked {
            let (triageClass, reason) = triage.triage(
                TriageInput(text: incoming.text, kind: incoming.kind, authorHandle: incoming.authorHandle,
                            channelHandle: channel.handle, referencesChannelPost: false),
                at: time)
            conversation.triageClass = triageClass
            conversation.triageReason = reason
        }
        var message = mention
        message.cycle = conversation.cycle
        var detail = Self.messageDetail(incoming)
        if reopened { detail["cycle"] = String(conversation.cycle) }
        guard try writer.addMention(
            message, to: conversation,
            because: EventDraft(reopened ? .reopened : .ingested, by: .ingest, at: now, detail: detail)) != nil
        else {
            throw ApplyConflict.duplicate
        }
        return conversation.id
    }

    /// Folds `source` into `target`: messages move, the shell is resolved with a note of where they went.
    private func merge(_ source: ConversationID, into target: ConversationID, now: Timestamp, in writer: any InboxWriter) throws {
        guard var shell = try writer.conversation(source), var kept = try writer.conversation(target) else { return }
        try writer.moveMessages(from: source, to: target, because: EventDraft(.merged, by: .ingest, at: now))
        kept.absorb(shell, at: now)
        try writer.updateConversation(kept, because: EventDraft(.statusChanged, by: .ingest, at: now, detail: ["merged_from": source.description]))
        shell.mergedAway(into: target, at: now)
        try writer.updateConversation(shell, because: EventDraft(.resolved, by: .ingest, at: now, detail: ["merged_into": target.description]))
    }

    // MARK: - Brand replies (history imports)

    func apply(_ incoming: IncomingBrandReply, in writer: any InboxWriter) throws -> ApplyOutcome {
        if try writer.reply(platform: incoming.platform, platformID: incoming.externalID) != nil { return .duplicate }
        guard let parentID = incoming.inReplyToExternalID else { return try post(incoming, in: writer) }
        var conversationID: ConversationID?
        if let parent = try writer.mentionLink(platform: incoming.platform, externalID: parentID) {
            conversationID = parent.conversationID
        } else if let earlier = try writer.reply(platform: incoming.platform, platformID: parentID) {
            conversationID = earlier.conversationID
        }
        guard let conversationID, var conversation = try writer.conversation(conversationID) else {
            waitingReplies[ChannelKey(platform: incoming.platform, name: parentID), default: []].append(incoming)
            return .deferred
        }
        let channel = try self.channel(incoming.platform, incoming.channelHandle, in: writer)
        let author = try brandResponder(channel: channel, initials: incoming.signatureInitials, in: writer)
        let now = clock.now()
        let sent = incoming.createdAt
        // Kept as a brand post by an earlier run that lacked the tweet: it has its thread now.
        try writer.removeBrandPost(platform: incoming.platform, platformID: incoming.externalID)
        let reply = try writer.insertReply(
            NewReply(
                conversationID: conversation.id, cycle: conversation.cycle, authorID: author.id, text: incoming.text,
                state: .sent, createdAt: sent, queuedAt: sent, sentAt: sent, platformID: incoming.externalID,
                platform: incoming.platform),
            because: EventDraft(.replied, by: .responder(login: author.login), at: now, detail: ["sent_at": String(sent.millisecondsSinceEpoch)]))
        let (id, cycle) = (conversation.id, conversation.cycle)
        try conversation.answered(at: sent, sla: sla) { try writer.earliestMessageTime(in: id, cycle: cycle, after: $0) }
        conversation.updatedAt = now
        try writer.updateConversation(conversation, because: EventDraft(.statusChanged, by: .ingest, at: now, detail: ["reply": reply.id.description]))
        try applyWaitingReplies(answering: incoming.platform, incoming.externalID, in: writer)
        try adoptCustomerAnswers(to: incoming, in: conversation, now: now, in: writer)
        return .stored(conversation.id)
    }

    /// A brand reply whose tweet never came (it is outside the export): kept as a brand post
    /// that names the tweet. Ingesting the tweet, then the reply again, puts it in its thread.
    public func postUnanswered(_ incoming: IncomingBrandReply, in writer: any InboxWriter) throws -> ApplyOutcome {
        try post(incoming, in: writer)
    }

    /// A brand's own post: sent, with no customer wait to end, so in no conversation.
    private func post(_ incoming: IncomingBrandReply, in writer: any InboxWriter) throws -> ApplyOutcome {
        let channel = try self.channel(incoming.platform, incoming.channelHandle, in: writer)
        let author = try brandResponder(channel: channel, initials: incoming.signatureInitials, in: writer)
        let stored = try writer.insertBrandPost(
            NewBrandPost(
                platform: incoming.platform, platformID: incoming.externalID, channelID: channel.id, authorID: author.id,
                text: incoming.text, sentAt: incoming.createdAt, inReplyTo: incoming.inReplyToExternalID,
                rawPayload: incoming.rawPayload),
            because: EventDraft(.posted, by: .responder(login: author.login), at: clock.now()))
        return stored ? .posted : .duplicate
    }

    /// A customer's answer to our reply that arrived first sits in its own conversation: fold it in.
    private func adoptCustomerAnswers(
        to reply: IncomingBrandReply, in conversation: Conversation, now: Timestamp, in writer: any InboxWriter
    ) throws {
        let answers = try writer.mentions(platform: reply.platform, replyingTo: reply.externalID)
            .filter { $0.customerID == conversation.customerID && $0.conversationID != conversation.id }
        var merged: Set<ConversationID> = []
        for answer in answers where merged.insert(answer.conversationID).inserted {
            try merge(answer.conversationID, into: conversation.id, now: now, in: writer)
        }
    }

    private func applyWaitingReplies(answering platform: Platform, _ externalID: String, in writer: any InboxWriter) throws {
        guard let waiting = waitingReplies.removeValue(forKey: ChannelKey(platform: platform, name: externalID)) else { return }
        for reply in waiting { _ = try apply(reply, in: writer) }
    }

    /// History imports attribute replies to a responder named after the brand, one per agent
    /// signature (`@Brand^JK`). The leading `@` can never be a Unix login, so these never
    /// collide with real responders, and capacity 0 keeps routing away from them.
    private func brandResponder(channel: Channel, initials: String?, in writer: any InboxWriter) throws -> Responder {
        let login = "@" + channel.handle + (initials.map { "^" + $0 } ?? "")
        if let cached = brandResponders[login] { return cached }
        if let existing = try writer.responder(login: login) {
            brandResponders[login] = existing
            return existing
        }
        let created = try writer.insertResponder(
            NewResponder(
                login: login, displayName: channel.handle + (initials.map { " ^" + $0 } ?? ""),
                initials: initials ?? String(channel.handle.prefix(2)).uppercased(), role: .agent,
                availability: .offline, capacity: 0),
            because: EventDraft(.responderAdded, by: .ingest, at: clock.now(), detail: ["source": "history import"]))
        brandResponders[login] = created
        return created
    }

    // MARK: - Channels and customers

    private func channel(_ platform: Platform, _ handle: String, in writer: any InboxWriter) throws -> Channel {
        let key = ChannelKey(platform: platform, name: Self.caseFolded(handle))
        if let cached = channels[key] { return cached }
        let found = try writer.channel(platform: platform, handle: handle)
        let channel = try found ?? writer.insertChannel(
            platform: platform, handle: handle, displayName: handle,
            because: EventDraft(.channelAdded, by: .ingest, at: clock.now()))
        channels[key] = channel
        return channel
    }

    private func customer(_ incoming: IncomingMention, in writer: any InboxWriter) throws -> CustomerID {
        let key = ChannelKey(platform: incoming.platform, name: incoming.authorHandle)
        if let cached = customers[key] { return cached }
        if customers.count >= Self.customerCacheLimit { customers.removeAll(keepingCapacity: true) }
        let id: CustomerID
        if let existing = try writer.customer(platform: incoming.platform, handle: incoming.authorHandle) {
            id = existing.id
        } else {
            id = try writer.insertCustomer(
                platform: incoming.platform, handle: incoming.authorHandle,
                displayName: incoming.authorDisplayName.isEmpty ? incoming.authorHandle : incoming.authorDisplayName,
                firstSeen: incoming.createdAt,
                because: EventDraft(.customerAdded, by: .ingest, at: clock.now())).id
        }
        customers[key] = id
        return id
    }

    // MARK: - Helpers

    /// The start of a message for one-line queue rows; cut by code points, which is cheap
    /// (the terminal layer cuts again to the pane's width by graphemes).
    static func preview(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 200 else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(200)))
    }

    /// Handles compare case-insensitively; ASCII (nearly all handles) skips Unicode lowercasing.
    static func caseFolded(_ handle: String) -> String {
        var utf8 = Array(handle.utf8)
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return handle.lowercased() }
        for index in utf8.indices where utf8[index] >= 0x41 && utf8[index] <= 0x5A { utf8[index] += 0x20 }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func messageDetail(_ incoming: IncomingMention) -> [String: String] {
        ["message_at": String(incoming.createdAt.millisecondsSinceEpoch), "external_id": incoming.externalID]
    }

    enum ApplyConflict: Error { case duplicate }
}
