import ArgumentParser
import EarshotService
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print every change as the daemon reports it, one line each; reconnects on its own.",
        discussion: "Lines are: event id, time, kind, conversation (or -), actor. Stop with Ctrl-C.")
    @Option(help: ArgumentHelp("The daemon's socket.", valueName: "path")) var socket: String?

    /// Error codes of a daemon that answered and said no.
    static let refusals: Set<String> = ["not_a_responder", "version", "unknown_user", "hello_expected"]

    func run() throws {
        // Signals through a dispatch source, so Ctrl-C and SIGTERM work even when the parent
        // left them blocked in the mask this process inherited.
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { Foundation.exit(0) }
            source.resume()
            ServeCommand.keep.append(source)
        }
        let path = SocketPaths.resolve(flag: socket, environment: ProcessInfo.processInfo.environment)
        var announced = false
        while true {
            do {
                let connection = try DaemonConnection(path: path)
                defer { connection.close() }
                if announced { FileHandle.standardError.write(Data("connected to \(path)\n".utf8)) }
                announced = false
                while true {
                    let event: [String: Any]
                    do {
                        event = try connection.nextEvent()
                    } catch let error as DaemonConnection.RemoteError where error.code == "unreadable" {
                        // The connection is at the next message again: say so and carry on.
                        FileHandle.standardError.write(Data("\(error.description)\n".utf8))
                        continue
                    }
                    let conversation = (event["conversation"] as? NSNumber).map { "\($0)" } ?? "-"
                    print("\(event["id"] ?? "?")\t\(event["at"] ?? "?")\t\(event["kind"] ?? "?")\t\(conversation)\t\(event["actor"] ?? "?")")
                    fflush(nil)
                }
            } catch let error as DaemonConnection.RemoteError where Self.refusals.contains(error.code) {
                // Refused at the hello (not a responder, wrong version): retrying will not help.
                // Anything else (the daemon went away, or sent what the client cannot read) is
                // retried, as docs/protocol.md promises.
                throw CommandFailure(error.description)
            } catch {
                if !announced {
                    FileHandle.standardError.write(Data("reconnecting to \(path)…\n".utf8))
                    announced = true
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }
}
