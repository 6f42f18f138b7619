import EarshotCore
import EarshotStore

/// How far apart a wave's replies go out on one account: well inside each platform's posting
/// limit (docs/waves.md), so two hundred answers never trip a rate limit or look like a bot.
enum WavePacing {
    static func spacing(for platform: Platform) -> Int64 {
        switch platform {
        case .x: 20_000
        case .mastodon: 2_000
        case .bluesky: 3_000
        default: 5_000
        }
    }
}

extension InboxService {
    /// Answers every customer of a wave with a reply of their own (docs/waves.md): their
    /// @handle, the answer in their language (`variants`: language code → text), the
    /// responder's signature; each checked against the 140 counter, each its own outbox entry
    /// with its own undo window, spread over time per account. All or nothing: a missing
    /// language or a reply over the limit queues none. A supervisor answers every member; an
    /// agent those unassigned or their own, the rest are reported as skipped.
    public func answerWave(_ id: Int64, variants: [String: String], by login: String) throws -> WaveAnswerReport {
        var answers: [MessageLanguage: String] = [:]
        for (code, text) in variants {
            guard let language = MessageLanguage(rawValue: code) else {
                throw ServiceError.invalid("unknown language \"\(code)\"; use \(MessageLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let body = try FieldLimits.clean(text, "the answer", limit: FieldLimits.draft).trimmingCharacters(in: .whitespacesAndNewlines)
            if !body.isEmpty { answers[language] = body }
        }
        guard !answers.isEmpty else { throw ServiceError.invalid("an answer needs some text") }
        return try store.write { writer in
            let actor = try responder(login, in: writer)
            guard var wave = try writer.wave(id) else { throw ServiceError.invalid("there is no wave \(id); `earshot wave list` shows them") }
            // Still to answer: no reply yet, or the reply was taken back in its undo window (a draft).
            var pending: [WaveMember] = []
            for member in try writer.waveMembers(id) {
                if let replyID = member.replyID, let reply = try writer.reply(replyID), reply.state != .draft { continue }
                pending.append(member)
            }
            guard !pending.isEmpty else { throw ServiceError.wrongState("wave \(id) has nobody left to answer") }
            var answerable: [(member: WaveMember, conversation: Conversation)] = []
            var skipped: [ConversationID] = []
            for member in pending {
                let conversation = try self.conversation(member.conversationID, in: writer)
                guard conversation.status == .open,
                      actor.role == .supervisor || conversation.assigneeID == nil || conversation.assigneeID == actor.id else {
                    skipped.append(member.conversationID)
                    continue
                }
                answerable.append((member, conversation))
            }
            guard !answerable.isEmpty else {
                throw ServiceError.wrongState("wave \(id): the conversations left are resolved or held by others; a supervisor can answer those held")
            }
            let missing = Set(answerable.map(\.member.language)).subtracting(answers.keys).sorted()
            guard missing.isEmpty else {
                throw ServiceError.invalid("wave \(id) has customers writing in \(missing.map(\.name).joined(separator: " and ")): "
                    + "give the answer in each too (" + missing.map { "--text-\($0.rawValue)" }.joined(separator: ", ")
                    + ", or a canned reply with " + missing.map { "NAME.\($0.rawValue)" }.joined(separator: ", ") + ")")
            }
            var planned: [(member: WaveMember, conversation: Conversation, text: String, platform: Platform)] = []
            for (member, conversation) in answerable {
                guard let customer = try writer.customer(conversation.customerID), let channel = try writer.channel(conversation.channelID) else {
                    throw ServiceError.invalid("conversation \(conversation.id) names a customer or channel that is not stored; run `earshot db check`")
                }
                let full = "@\(customer.handle) " + (answers[member.language] ?? "") + actor.signature
                do {
                    try ReplyLimit.check(full, signature: actor.signature)
                } catch let ServiceError.invalid(message) {
                    throw ServiceError.invalid("for @\(customer.handle) (conversation \(conversation.id), \(member.language.name)): \(message); nothing was queued")
                }
                planned.append((member, conversation, full, channel.platform))
            }
            let now = clock.now()
            let undo = Int64(delivery.undoSeconds) * 1_000
            var sent: [ReplyID] = []
            var onAccount: [ChannelID: Int64] = [:]
            var last: Timestamp?
            for var item in planned {
                let slot = onAccount[item.conversation.channelID, default: 0]
                onAccount[item.conversation.channelID] = slot + 1
                let deliverAt = now.adding(milliseconds: undo + slot * WavePacing.spacing(for: item.platform))
                last = max(last ?? deliverAt, deliverAt)
                if item.conversation.assigneeID == nil {
                    try give(&item.conversation, to: actor.id, in: writer)
                    try writer.updateConversation(item.conversation, because: event(.claimed, by: actor, detail: ["by_reply": "true", "wave": String(id)]))
                }
                try writer.noteTouch(of: item.conversation.id, at: now)
                let detail = ["deliver_at": deliverAt.iso8601, "wave": String(id)]
                let reply: Reply
                if let taken = item.member.replyID, var draft = try writer.reply(taken), draft.state == .draft {
                    // Taken back earlier: the same reply goes out again with the new answer.
                    (draft.text, draft.state, draft.cycle, draft.updatedAt, draft.queuedAt, draft.nextAttemptAt)
                        = (item.text, .queued, item.conversation.cycle, now, now, deliverAt)
                    try writer.updateReply(draft, because: event(.replyQueued, by: actor, detail: detail))
                    reply = draft
                } else {
                    reply = try writer.insertReply(
                        NewReply(conversationID: item.conversation.id, cycle: item.conversation.cycle, authorID: actor.id, text: item.text,
                                 state: .queued, createdAt: now, queuedAt: now, nextAttemptAt: deliverAt),
                        because: event(.replyQueued, by: actor, detail: detail))
                }
                var member = item.member
                member.replyID = reply.id
                try writer.putWaveMember(member)
                sent.append(reply.id)
            }
            // Answered when nobody is left for anyone; else the rest wait for their owners or a supervisor.
            if skipped.isEmpty {
                wave.state = .answered
                try writer.updateWave(wave)
            }
            return WaveAnswerReport(wave: id, replies: sent, skipped: skipped, lastDeliveryAt: last)
        }
    }
}
