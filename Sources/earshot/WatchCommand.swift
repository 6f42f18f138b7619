import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print every change as the daemon reports it, one line each; reconnects on its own.",
        discussion: "Lines are: event id, time, kind, conversation (or -), actor. Stop with Ctrl-C.")
    @Option(help: ArgumentHelp("The daemon's socket.", valueName: "path")) var socket: String?

    /// Hello failures that are not a refusal: the daemon went away, its answer was unreadable,
    /// or it is full for now.
    static let retried: Set<InboxError.Code> = [.closed, .protocol, .full]

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
        let daemonSocket = SocketPaths.locate(flag: socket, environment: ProcessInfo.processInfo.environment)
        let path = daemonSocket.path
        var announced = false
        while true {
            do {
                let connection: DaemonConnection
                do {
                    connection = try DaemonConnection(path: path, trust: try SocketTrust.forClient(daemonSocket))
                } catch let refusal as SocketTrust.Refusal {
                    // Not the daemon, or a folder anyone could fill: waiting will not make it trustworthy.
                    throw CommandFailure(refusal.description)
                } catch let error as InboxError where !Self.retried.contains(error.code) {
                    // The daemon answered the hello and said no (not a responder, wrong
                    // version): retrying will not help.
                    throw CommandFailure(error.description)
                }
                defer { connection.close() }
                if announced { FileHandle.standardError.write(Data("connected to \(path)\n".utf8)) }
                announced = false
                while true {
                    let event: Event
                    do {
                        event = try connection.nextEvent()
                    } catch let error as InboxError where error.code == .unreadable {
                        // The connection is at the next message again: say so and carry on.
                        FileHandle.standardError.write(Data("\(error.description)\n".utf8))
                        continue
                    }
                    let conversation = event.conversationID.map { "\($0)" } ?? "-"
                    let fields = ["\(event.id)", event.at.iso8601, event.kind.rawValue, conversation, event.actor.description]
                    print(fields.map(SafeOutput.field).joined(separator: "\t"))
                    fflush(nil)
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                // Anything after the hello (the daemon went away, or sent what the client cannot
                // read) is retried, as docs/protocol.md promises.
                if !announced {
                    FileHandle.standardError.write(Data("reconnecting to \(path)…\n".utf8))
                    announced = true
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }
}
