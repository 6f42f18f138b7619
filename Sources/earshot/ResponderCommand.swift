import ArgumentParser
import EarshotCore
import EarshotService

struct ResponderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder", abstract: "Manage responders (supervisors; the first ones may be added by the database's owner).",
        subcommands: [Add.self, List.self, Set.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a responder (a Unix login).")
        @Argument(help: "Their Unix login name.") var login: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Signature initials, 1 to 4 letters (replies are signed ^AB).") var initials: String
        @Option(help: "agent or supervisor.") var role: String = "agent"
        @Option(help: "Open conversations routing may give them.") var capacity: Int = 5
        @Option(help: "available, away or offline.") var availability: String = "offline"
        @OptionGroup var options: ServiceOptions

        func validate() throws {
            guard ResponderRole(rawValue: role) != nil else { throw ValidationError("--role must be agent or supervisor") }
            guard Availability(rawValue: availability) != nil else {
                throw ValidationError("--availability must be available, away or offline")
            }
        }

        func run() throws {
            let responder = try options.api().send(Inbox.AddResponder(
                NewResponder(
                    login: login, displayName: name, initials: initials.uppercased(), role: ResponderRole(rawValue: role) ?? .agent,
                    availability: Availability(rawValue: availability) ?? .offline, capacity: capacity)))
            print("added \(responder.login) (\(SafeOutput.field(responder.displayName)), ^\(responder.initials), \(responder.role.rawValue), capacity \(responder.capacity), \(responder.availability.rawValue))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List responders with their load against capacity.")
        @Flag(help: "Include removed responders.") var all = false
        @OptionGroup var options: ServiceOptions

        func run() throws {
            let rows = try options.api().send(Inbox.ListResponders(all: all))
            let header = ["LOGIN", "NAME", "SIG", "ROLE", "AVAILABILITY", "LOAD"]
            let lines = rows.map { row in
                let responder = row.responder
                return [SafeOutput.field(responder.login), SafeOutput.field(responder.displayName), "^" + SafeOutput.field(responder.initials), responder.role.rawValue,
                        responder.removedAt == nil ? responder.availability.rawValue : "removed", "\(row.load)/\(responder.capacity)"]
            }
            let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
            for line in [header] + lines {
                print(line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a responder; anyone may set their own --availability.")
        @Argument(help: "Their login.") var login: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Signature initials.") var initials: String?
        @Option(help: "agent or supervisor.") var role: String?
        @Option(help: "Open conversations routing may give them.") var capacity: Int?
        @Option(help: "available, away or offline.") var availability: String?
        @OptionGroup var options: ServiceOptions

        func validate() throws {
            if let role, ResponderRole(rawValue: role) == nil { throw ValidationError("--role must be agent or supervisor") }
            if let availability, Availability(rawValue: availability) == nil {
                throw ValidationError("--availability must be available, away or offline")
            }
            if name == nil && initials == nil && role == nil && capacity == nil && availability == nil {
                throw ValidationError("nothing to change: give --name, --initials, --role, --capacity or --availability")
            }
        }

        func run() throws {
            let responder = try options.api().send(Inbox.UpdateResponder(
                login,
                ResponderChanges(
                    displayName: name, initials: initials?.uppercased(), role: role.flatMap(ResponderRole.init(rawValue:)),
                    capacity: capacity, availability: availability.flatMap(Availability.init(rawValue:)))))
            print("\(responder.login): \(SafeOutput.field(responder.displayName)), ^\(responder.initials), \(responder.role.rawValue), capacity \(responder.capacity), \(responder.availability.rawValue)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a responder; their open conversations return to the queue.")
        @Argument(help: "Their login.") var login: String
        @OptionGroup var options: ServiceOptions

        func run() throws {
            let released = try options.api().send(Inbox.RemoveResponder(login))
            print("removed \(login); \(released.count) conversation\(released.count == 1 ? "" : "s") returned to the queue")
        }
    }
}
