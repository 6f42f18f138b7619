import EarshotCore
import EarshotService
import Foundation

/// The open conversation: customer messages, our replies with who sent them and their
/// delivery state, internal notes set apart, times in the responder's zone, the customer's
/// earlier conversations, and who else is looking.
enum ThreadPane {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        guard let open = state.thread else { return }
        let focused = state.focus == .thread && state.prompt == nil
        guard let thread = open.thread else {
            let inner = canvas.box(title: "#\(open.id)", lines: focused ? .heavy : .light)
            canvas.draw(in: inner) { pane in _ = pane.put("loading…", x: 1, y: 0, style: .dim) }
            return
        }
        let title = "#\(thread.conversation.id) @\(thread.customer.handle) to @\(thread.channel.handle) (\(thread.channel.platform.rawValue))"
        let inner = canvas.box(title: title, lines: focused ? .heavy : .light, titleStyle: focused ? .bold : .plain)
        canvas.draw(in: inner) { pane in
            let lines = self.lines(thread, state: state, width: pane.width)
            let visible = pane.height
            let bottom = max(0, lines.count - open.scroll)
            let first = max(0, bottom - visible)
            for (y, line) in lines[first..<min(lines.count, first + visible)].enumerated() {
                var x = 0
                for (text, style) in line { x += pane.put(text, x: x, y: y, style: style) }
            }
            if first > 0 { _ = pane.put("↑ k for more", x: max(0, pane.width - 12), y: 0, style: .dim) }
        }
    }

    typealias Line = [(String, Style)]

    static func lines(_ thread: ConversationThread, state: AppState, width: Int) -> [Line] {
        var lines: [Line] = []
        let conversation = thread.conversation
        var facts = [conversation.status.rawValue, thread.assignee.map { "assigned to \($0)" } ?? "unassigned",
                     conversation.priority.name, conversation.triageClass.rawValue]
        if !conversation.labels.isEmpty { facts.append("labels " + conversation.labels.joined(separator: ",")) }
        if thread.sla != .none { facts.append("SLA \(thread.sla.rawValue)") }
        lines.append([(facts.joined(separator: " · "), .bold)])
        if !thread.presence.isEmpty {
            let who = thread.presence.map { "\($0.login) is \($0.state)" }.joined(separator: ", ")
            lines.append([("◆ " + who, Style(.underline))])
        }
        lines.append([("", .plain)])
        let indent = "      "
        for entry in thread.entries {
            switch entry {
            case let .message(mention):
                lines.append([(clock(state.screenClock.shown(mention.createdAt)) + " ", .dim), ("@\(thread.customer.handle)", .bold)])
                lines += TextWrap.lines(mention.text, width: width - indent.count).map { [(indent + $0, .plain)] }
            case let .reply(reply, author, initials):
                let time = reply.sentAt ?? reply.queuedAt ?? reply.createdAt
                lines.append([(clock(state.screenClock.shown(time)) + " ", .dim), ("↳ \(author) ^\(initials)", .bold), (" [\(deliveryState(reply))]", deliveryStyle(reply))])
                if reply.state == .failed, let error = reply.lastError {
                    lines += TextWrap.lines("delivery failed: \(error) (R retries)", width: width - indent.count)
                        .map { [(indent + $0, Style(.bold).colored(.red))] }
                }
                lines += TextWrap.lines(reply.text, width: width - indent.count).map { [(indent + $0, .plain)] }
                if reply.state == .sent, let url = reply.platformURL {
                    lines += TextWrap.lines(url, width: width - indent.count).map { [(indent + $0, .dim)] }
                }
            case let .note(note, author):
                lines.append([(clock(state.screenClock.shown(note.createdAt)) + " ", .dim), ("▌note by \(author)", Style(.underline))])
                lines += TextWrap.lines(note.text, width: width - indent.count - 2).map { [(indent + "▌ " + $0, .dim)] }
            }
        }
        if !thread.earlier.isEmpty {
            lines.append([("", .plain)])
            lines.append([("Earlier conversations with @\(thread.customer.handle):", .bold)])
            for earlier in thread.earlier {
                var text = "#\(earlier.id) \(day(state.screenClock.shown(earlier.startedAt))) \(earlier.status.rawValue): \(SafeText(earlier.preview).string)"
                if earlier.notes > 0 { text += " (\(earlier.notes) notes)" }
                lines.append([(DisplayWidth.truncate(text, toWidth: width, ellipsis: "…"), .dim)])
            }
        }
        if !thread.customer.notes.isEmpty {
            lines.append([("Customer notes:", .bold)])
            lines += TextWrap.lines(thread.customer.notes, width: width - 2).map { [("  " + $0, .dim)] }
        }
        return lines
    }

    static func deliveryState(_ reply: Reply) -> String {
        switch reply.state {
        case .draft: "draft"
        case .queued: reply.deliveryStartedAt != nil ? "sending" : (reply.attempts > 0 ? "retrying" : "queued")
        case .sent: "sent"
        case .failed: "FAILED"
        }
    }

    static func deliveryStyle(_ reply: Reply) -> Style {
        reply.state == .failed ? Style([.bold, .reverse]).colored(.red) : .dim
    }

    /// The responder's own time zone (TZ), as a person reads the clock.
    static func clock(_ time: Timestamp) -> String {
        format(time, "HH:mm")
    }

    static func day(_ time: Timestamp) -> String { format(time, "yyyy-MM-dd") }

    private static func format(_ time: Timestamp, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000))
    }
}
