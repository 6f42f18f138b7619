import EarshotCore

/// Values stored before the field limits (or written to the database directly) can be any
/// size; what the service reads out is cut to the limits, so one old 900,000-character label
/// cannot make a queue window or a thread too big for the protocol (docs/protocol.md, Limits).
/// A cut value ends with "…".
enum ReadClipping {
    /// Event details are short words and ids; anything longer was not written by Earshot.
    static let detailValue = 200
    /// A customer's message in a thread (platforms allow a few thousand characters at most).
    static let message = 10_000

    static func clip(_ text: String, to limit: Int) -> String {
        // Counting stops at the limit: a short string costs nothing, a huge one is not walked.
        var index = text.unicodeScalars.startIndex
        var count = 0
        while index != text.unicodeScalars.endIndex {
            if count == limit { return String(String.UnicodeScalarView(text.unicodeScalars[..<index])) + "…" }
            count += 1
            text.unicodeScalars.formIndex(after: &index)
        }
        return text
    }

    static func conversation(_ conversation: Conversation) -> Conversation {
        guard conversation.labels.count > FieldLimits.labelsPerConversation
            || conversation.labels.contains(where: { $0.unicodeScalars.count > FieldLimits.label })
        else { return conversation }
        var clipped = conversation
        clipped.labels = conversation.labels.prefix(FieldLimits.labelsPerConversation).map { clip($0, to: FieldLimits.label) }
        return clipped
    }

    static func event(_ event: Event) -> Event {
        guard event.detail.values.contains(where: { $0.unicodeScalars.count > detailValue }) else { return event }
        var clipped = event
        clipped.detail = event.detail.mapValues { clip($0, to: detailValue) }
        return clipped
    }

    static func reply(_ reply: Reply) -> Reply {
        var clipped = reply
        clipped.text = clip(reply.text, to: FieldLimits.draft)
        clipped.lastError = reply.lastError.map { clip($0, to: detailValue) }
        return clipped
    }

    static func entry(_ entry: ThreadEntry) -> ThreadEntry {
        switch entry {
        case let .message(mention):
            .message({ var clipped = mention; clipped.text = clip(mention.text, to: message); return clipped }())
        case let .reply(reply, author, initials): .reply(self.reply(reply), author: author, initials: initials)
        case let .note(note, author):
            .note({ var clipped = note; clipped.text = clip(note.text, to: FieldLimits.note); return clipped }(), author: author)
        }
    }

    static func responder(_ responder: Responder) -> Responder {
        var clipped = responder
        clipped.displayName = clip(responder.displayName, to: FieldLimits.displayName)
        return clipped
    }
}
