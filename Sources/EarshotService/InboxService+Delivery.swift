import EarshotCore
import EarshotStore
import Foundation

/// The deliverer's side of the outbox. A delivery is three steps so that the command runs
/// outside any transaction: `beginNextDelivery` marks a due reply as in flight (it can no
/// longer be cancelled), the command runs, `finishDelivery` records the outcome. A daemon
/// killed between the steps finds the reply in flight on restart and delivers it again
/// (`recoverInterruptedDeliveries`): at least once, recorded once.
extension InboxService {
    /// Marks the oldest due reply as in flight and returns what the delivery command gets.
    /// `accepts` narrows it to some channels (by platform and handle): a delivery lane's.
    public func beginNextDelivery(where accepts: (_ platform: String, _ channel: String) -> Bool = { _, _ in true }) throws -> DeliveryRequest? {
        try store.write { writer in
            let now = clock.now()
            var chosen: Reply?
            for candidate in try writer.dueReplies(at: now, limit: 200) {
                guard let conversation = try writer.conversation(candidate.conversationID) else { continue }
                let channel = try writer.channel(conversation.channelID)
                if accepts(channel?.platform.rawValue ?? "", channel?.handle ?? "") {
                    chosen = candidate
                    break
                }
            }
            guard var reply = chosen else { return nil }
            reply.attempts += 1
            // Chosen once, before the first attempt, and kept: every attempt carries the same key.
            if reply.deliveryKey == nil { reply.deliveryKey = "earshot-\(UUID().uuidString.lowercased())" }
            reply.deliveryStartedAt = now
            reply.deliveryOwner = store.instance
            reply.updatedAt = now
            try writer.updateReply(
                reply, because: EventDraft(.deliveryStarted, by: .system, at: now, detail: ["attempt": String(reply.attempts)]))
            return try request(for: reply, in: writer)
        }
    }

    /// Records how an attempt ended: sent (the conversation now waits for the customer), or a
    /// failure that is retried after a backoff until the attempts run out.
    @discardableResult
    public func finishDelivery(_ id: ReplyID, outcome: DeliveryOutcome) throws -> Reply {
        try store.write { writer in
            guard var reply = try writer.reply(id) else { throw ServiceError.invalid("no reply \(id)") }
            // Recorded once: a second report (a delivery repeated after a restart) changes nothing.
            guard reply.state == .queued else { return reply }
            let now = clock.now()
            reply.deliveryStartedAt = nil
            reply.deliveryOwner = nil
            reply.updatedAt = now
            switch outcome {
            case let .delivered(platformID, url):
                var conversation = try self.conversation(reply.conversationID, in: writer)
                let channel = try writer.channel(conversation.channelID)
                reply.state = .sent
                reply.sentAt = now
                reply.nextAttemptAt = nil
                reply.lastError = nil
                reply.platformURL = url
                reply.platform = channel?.platform
                reply.platformID = try writer.reply(platform: channel?.platform ?? .x, platformID: platformID) == nil ? platformID : nil
                try writer.updateReply(reply, because: EventDraft(
                    .replied, by: .responder(login: try writer.responder(reply.authorID)?.login ?? "unknown"), at: now,
                    detail: ["sent_at": String(now.millisecondsSinceEpoch), "platform_id": platformID]))
                try recordAnswer(sentAt: now, in: &conversation, writer: writer)
            case .failed, .refused, .later:
                let (error, final, retryAt): (String, Bool, Timestamp?) = switch outcome {
                case let .failed(error): (error, reply.attempts >= delivery.maxAttempts, nil)
                case let .refused(error): (error, true, nil)
                case let .later(error, at): (error, false, at)
                case .delivered: ("", false, nil)
                }
                reply.lastError = error
                // Waiting for a platform's rate limit is not the reply's fault: the attempt is given back.
                if case .later = outcome { reply.attempts = max(0, reply.attempts - 1) }
                if final {
                    reply.state = .failed
                    reply.nextAttemptAt = nil
                } else {
                    reply.nextAttemptAt = retryAt ?? now.adding(
                        milliseconds: delivery.retryDelay(afterAttempt: reply.attempts).components.seconds * 1000)
                }
                var detail = ["error": error, "attempt": String(reply.attempts), "final": String(final)]
                if let next = reply.nextAttemptAt { detail["retry_at"] = next.iso8601 }
                try writer.updateReply(reply, because: EventDraft(.replyFailed, by: .system, at: now, detail: detail))
            }
            return reply
        }
    }

    /// Replies a daemon was delivering when it stopped become due again now. Replies that a
    /// daemon still running (this one, or another sharing the database) is delivering are left
    /// to it.
    @discardableResult
    public func recoverInterruptedDeliveries() throws -> Int {
        // Asked every few seconds by each daemon: a read, and a write only when there is
        // something to recover.
        let orphaned = Set(try store.read { try $0.repliesInDelivery() }.filter { reply in
            guard let owner = reply.deliveryOwner else { return true }
            return !((try? store.isRunning(owner)) ?? true)
        }.map(\.id))
        guard !orphaned.isEmpty else { return 0 }
        return try store.write { writer in
            let now = clock.now()
            // Read again under the write: one of them may have been finished meanwhile.
            let stuck = try writer.repliesInDelivery().filter { orphaned.contains($0.id) }
            for var reply in stuck {
                reply.deliveryStartedAt = nil
                reply.deliveryOwner = nil
                reply.nextAttemptAt = now
                reply.lastError = "the daemon stopped during delivery attempt \(reply.attempts); delivering again"
                reply.updatedAt = now
                try writer.updateReply(reply, because: EventDraft(
                    .replyFailed, by: .system, at: now,
                    detail: ["error": reply.lastError ?? "", "attempt": String(reply.attempts), "final": "false"]))
            }
            return stuck.count
        }
    }

    /// When the deliverer should look again (the earliest undo window or retry wait to end).
    public func nextDeliveryTime() throws -> Timestamp? {
        try store.read { try $0.nextDeliveryTime() }
    }

    /// A sent reply answers everything the customer wrote before it.
    private func recordAnswer(sentAt sent: Timestamp, in conversation: inout Conversation, writer: any InboxWriter) throws {
        let (id, cycle) = (conversation.id, conversation.cycle)
        try conversation.answered(at: sent, sla: sla) { try writer.earliestMessageTime(in: id, cycle: cycle, after: $0) }
        try writer.updateConversation(conversation, because: EventDraft(.statusChanged, by: .system, at: sent))
    }

    private func request(for reply: Reply, in reader: any InboxReader) throws -> DeliveryRequest {
        let conversation = try self.conversation(reply.conversationID, in: reader)
        let channel = try reader.channel(conversation.channelID)
        let customer = try reader.customer(conversation.customerID)
        let latest = try reader.mentions(in: conversation.id).last
        return DeliveryRequest(
            replyID: reply.id.rawValue, conversationID: conversation.id.rawValue,
            platform: channel?.platform.rawValue ?? "", channel: channel?.handle ?? "", customer: customer?.handle ?? "",
            inReplyTo: latest?.externalID, text: reply.text, author: try reader.responder(reply.authorID)?.login ?? "",
            attempt: reply.attempts, idempotencyKey: reply.deliveryKey ?? "earshot-reply-\(reply.id)",
            answeredPayload: latest?.rawPayload)
    }
}

/// What the delivery command reads on stdin, as one JSON object (docs/admin.md).
public struct DeliveryRequest: Codable, Sendable, Equatable {
    public var replyID: Int64
    public var conversationID: Int64
    public var platform: String
    /// The brand account to post from.
    public var channel: String
    /// The customer's handle, without `@`.
    public var customer: String
    /// The platform id of the customer's latest message, which the reply answers.
    public var inReplyTo: String?
    /// The text to post, signature included.
    public var text: String
    /// The responder's login.
    public var author: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// The same for every attempt at this reply, so a platform client can refuse a duplicate post.
    public var idempotencyKey: String
    /// The customer's post being answered, as the platform sent it (a live account reads its
    /// visibility from it); not given to the delivery command.
    public var answeredPayload: String? = nil

    enum CodingKeys: String, CodingKey {
        case replyID = "reply_id", conversationID = "conversation_id", platform, channel, customer
        case inReplyTo = "in_reply_to", text, author, attempt, idempotencyKey = "idempotency_key"
    }
}

/// How one attempt at a reply ended (the delivery command's run, or a live account's post).
public enum DeliveryOutcome: Equatable, Sendable {
    /// Posted: the platform's id for the new post (the command's first line of stdout), and its
    /// address when the platform gave one.
    case delivered(platformID: String, url: String? = nil)
    /// Anything else, with what the author should see; retried after a backoff until the
    /// attempts run out.
    case failed(String)
    /// The platform refused this reply for good (the post answered was deleted, a validation
    /// error): failed at once with its message; `R` tries again.
    case refused(String)
    /// Not now (rate limited): tried again at `at`, whatever the attempts so far.
    case later(String, at: Timestamp)
}
