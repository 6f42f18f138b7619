import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct CannedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canned",
        abstract: "Canned replies: list them, or check that each fits 140 in a typical reply.",
        discussion: """
            Snippets are files in the team's directory (/etc/earshot/canned/, or $EARSHOT_CANNED_TEAM) and \
            your own ($XDG_CONFIG_HOME/earshot/canned/), named by file name: shipping-delay.txt is \
            ::shipping-delay in the composer (Tab expands it). Yours win on a name clash.
            """,
        subcommands: [CannedList.self, CannedCheck.self],
        defaultSubcommand: CannedList.self)

    static func load() -> CannedReplies {
        CannedReplies.load(directories: CannedReplies.directories(environment: ProcessInfo.processInfo.environment))
    }
}

struct CannedList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Each snippet's name, length in a typical reply, and start.")

    func run() throws {
        let canned = CannedCommand.load()
        guard !canned.snippets.isEmpty else {
            let places = CannedReplies.directories(environment: ProcessInfo.processInfo.environment).joined(separator: " or ")
            print("no canned replies: put text files in \(places)")
            return
        }
        for snippet in canned.snippets {
            let flat = SafeOutput.field(snippet.text.split(whereSeparator: \.isNewline).joined(separator: " "))
            print("::\(SafeOutput.field(snippet.name))\t\(CannedReplies.typicalLength(of: snippet.text))\t\(flat.count <= 60 ? flat : String(flat.prefix(59)) + "…")")
        }
    }
}

struct CannedCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List the snippets that would not fit 140 with a typical handle and signature; exit 1 if any.")
    @Option(help: "Handle length to assume (without @).") var handleLength = 15
    @Option(help: "Signature to assume.") var signature = " ^AB"

    func run() throws {
        let canned = CannedCommand.load()
        var tooLong = 0
        for snippet in canned.snippets {
            let length = CannedReplies.typicalLength(of: snippet.text, handleLength: handleLength, signature: signature)
            if length > ReplyLength.maximum {
                tooLong += 1
                print("\(SafeOutput.field(snippet.file)): ::\(SafeOutput.field(snippet.name)) is \(length) with @handle and signature, \(length - ReplyLength.maximum) over 140")
            }
        }
        print("\(canned.snippets.count) canned replies checked, \(tooLong) too long")
        if tooLong > 0 { throw ExitCode(1) }
    }
}
