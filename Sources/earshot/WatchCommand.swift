import ArgumentParser
import EarshotService
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print every change as the daemon reports it, one line each; reconnects on its own.",
        discussion: "Lines are: event id, time, kind, conversation (or -), actor. Stop with Ctrl-C.")
    @Option(help: ArgumentHelp("The daemon's socket.", valueName: "path")) var socket: String?

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
                let connection = try DaemonConnection(path: path, trust: try SocketTrust.forClient(daemonSocket))
                if announced { FileHandle.standardError.write(Data("connected to \(path)\n".utf8)) }
                announced = false
                while true {
                    let event = try connection.nextEvent()
                    let conversation = (event["conversation"] as? NSNumber).map { "\($0)" } ?? "-"
                    print("\(event["id"] ?? "?")\t\(event["at"] ?? "?")\t\(event["kind"] ?? "?")\t\(conversation)\t\(event["actor"] ?? "?")")
                    fflush(nil)
                }
            } catch let refusal as SocketTrust.Refusal {
                // Not the daemon, or a folder anyone could fill: waiting will not make it trustworthy.
                throw CommandFailure(refusal.description)
            } catch let error as DaemonConnection.RemoteError where error.code != "closed" && error.code != "full" {
                // Refused (not a responder, wrong version): retrying will not help.
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
