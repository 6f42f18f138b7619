import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

struct WaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wave",
        abstract: "Waves: many customers writing about the same trouble, answered one by one in one go.",
        discussion: """
            The daemon finds waves as messages arrive: a topic word that five or more open conversations \
            share within half an hour, far above its usual rate. Supervisors mark, merge and split them; \
            anyone answers one, each customer getting their own reply in their language. See docs/waves.md.
            """,
        subcommands: [WaveList.self, WaveShow.self, WaveOpen.self, WaveMerge.self, WaveOut.self, WaveAnswer.self],
        defaultSubcommand: WaveList.self)

    static func describe(_ summary: WaveSummary, now: Timestamp) -> String {
        let wait = summary.oldestWaitSince.map { " · oldest wait " + StatsFormatter.duration(now.milliseconds(since: $0)) } ?? ""
        return "wave \(summary.wave.id) \"\(SafeOutput.field(summary.wave.name))\" \(summary.wave.state.rawValue): "
            + "\(summary.size) conversation\(summary.size == 1 ? "" : "s")"
            + (summary.answered > 0 ? " (\(summary.answered) answered)" : "")
            + " on \(summary.channels.map(SafeOutput.field).joined(separator: ", "))"
            + " in \(summary.languages.map(\.name).joined(separator: ", "))" + wait
    }
}

struct WaveList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every wave with conversations, the longest-waiting first.")
    @Option(help: "table or json.") var format = "table"
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard ["table", "json"].contains(format) else { throw ValidationError("--format must be table or json") }
    }

    func run() throws {
        let waves = try options.api().send(Inbox.Waves())
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(SafeOutput.json(String(decoding: try encoder.encode(waves), as: UTF8.self)))
            return
        }
        guard !waves.isEmpty else {
            print("no waves")
            return
        }
        let now = SystemClock().now()
        for summary in waves { print(WaveCommand.describe(summary, now: now)) }
    }
}

struct WaveShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A wave's conversations, in the order they joined.")
    @Argument(help: "The wave's id.") var wave: Int64
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let detail = try options.api().send(Inbox.GetWave(wave))
        let now = SystemClock().now()
        print(WaveCommand.describe(detail.summary, now: now))
        for entry in detail.members {
            let row = entry.row
            let answered = entry.member.replyID.map { " answered (reply \($0))" } ?? ""
            print("  #\(row.conversation.id) @\(SafeOutput.field(row.customer)) \(entry.member.language.rawValue) "
                + "\(SafeOutput.field(row.channel)) \(row.assignee.map(SafeOutput.field) ?? "-")\(answered): \(SafeOutput.field(row.conversation.preview))")
        }
    }
}

struct WaveOpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Mark a wave to answer together under NAME, or start one from a conversation (supervisors).")
    @Option(help: "The wave to mark.") var wave: Int64?
    @Option(help: "A conversation to start a wave from; later messages with NAME's words join it.") var conversation: Int64?
    @Argument(help: "The wave's name, e.g. \"checkout fails\".") var name: String
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard (wave == nil) != (conversation == nil) else { throw ValidationError("give either --wave ID or --conversation ID") }
    }

    func run() throws {
        let target: WaveTarget = wave.map { .wave($0) } ?? .conversation(ConversationID(conversation ?? 0))
        let opened = try options.api().send(Inbox.OpenWave(target, name: name))
        print("wave \(opened.id) \"\(SafeOutput.field(opened.name))\" is open (topic: \(SafeOutput.field(opened.topic)))")
    }
}

struct WaveMerge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Move wave FROM's conversations into wave INTO (supervisors).")
    @Argument(help: "The wave to empty.") var from: Int64
    @Argument(help: "The wave to keep.") var into: Int64
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let kept = try options.api().send(Inbox.MergeWaves(from, into: into))
        print("wave \(from) merged into wave \(kept.id) \"\(SafeOutput.field(kept.name))\"")
    }
}

struct WaveOut: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "out", abstract: "Take a conversation out of its wave, to answer it on its own (supervisors).")
    @Argument(help: "The conversation.") var conversation: Int64
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let left = try options.api().send(Inbox.TakeOutOfWave(ConversationID(conversation)))
        print("#\(conversation) is out of wave \(left)")
    }
}

struct WaveAnswer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer each customer of a wave with a reply of their own, in their language.",
        discussion: """
            Each customer gets @handle, the answer in their language and your signature, as a reply of \
            their own with its own undo window; replies go out spaced per account. The English text is \
            --text or a canned reply (--canned NAME, with NAME.es and NAME.ja files for Spanish and \
            Japanese). Nothing is queued if a customer's language has no text or a reply would pass 140.
            """)
    @Argument(help: "The wave's id.") var wave: Int64
    @Option(help: "A canned reply's name; its .es and .ja files are the other languages.") var canned: String?
    @Option(help: "The answer in English.") var text: String?
    @Option(name: .customLong("text-es"), help: "The answer in Spanish.") var textSpanish: String?
    @Option(name: .customLong("text-ja"), help: "The answer in Japanese.") var textJapanese: String?
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        if canned == nil && text == nil && textSpanish == nil && textJapanese == nil {
            throw ValidationError("give the answer: --text TEXT (and --text-es, --text-ja), or --canned NAME")
        }
    }

    func run() throws {
        var variants: [String: String] = [:]
        if let canned {
            guard let found = CannedCommand.load().variants(of: canned) else {
                throw ValidationError("no canned reply \"\(canned)\"; `earshot canned list` shows them")
            }
            variants = found
        }
        for (language, value) in [(MessageLanguage.english, text), (.spanish, textSpanish), (.japanese, textJapanese)] {
            if let value { variants[language.rawValue] = value }
        }
        let report = try options.api().send(Inbox.AnswerWave(wave, variants: variants))
        var line = "wave \(wave): \(report.replies.count) repl\(report.replies.count == 1 ? "y" : "ies") queued"
        if let last = report.lastDeliveryAt { line += ", the last due at \(last.iso8601)" }
        if !report.skipped.isEmpty {
            line += "; skipped (held by others, or no longer open): " + report.skipped.map { "#\($0)" }.joined(separator: ", ")
        }
        print(line)
    }
}
