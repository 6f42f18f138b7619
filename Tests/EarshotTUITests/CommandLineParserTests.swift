import Testing
@testable import EarshotTUI

@Suite("Command line")
struct CommandLineParserTests {
    let parser = CommandLineParser()

    func parsed(_ line: String) -> ParsedCommand? { try? parser.parse(line) }

    func error(_ line: String) -> String? {
        do {
            _ = try parser.parse(line)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("Every action is a command, by its name")
    func everyAction() {
        for entry in ActionTable.standard.entries {
            switch entry.argument {
            case .none, .optionalText, .filterTerms:
                #expect(parsed(":" + entry.name) == ParsedCommand(action: entry.action), "\(entry.name)")
            default:
                #expect(parsed(":" + entry.name) == nil, "\(entry.name) needs an argument")
            }
        }
        #expect(parsed("q") == ParsedCommand(action: .quit))
        #expect(parsed("  :  claim  ") == ParsedCommand(action: .claim))
        #expect(parsed("CLAIM") == ParsedCommand(action: .claim))
    }

    @Test("Arguments")
    func arguments() {
        #expect(parsed(":assign dana") == ParsedCommand(action: .assign, argument: .text("dana")))
        #expect(parsed(":snooze 2h") == ParsedCommand(action: .snooze, argument: .snooze(.duration(seconds: 7200))))
        #expect(parsed(":snooze 90m") == ParsedCommand(action: .snooze, argument: .snooze(.duration(seconds: 5400))))
        #expect(parsed(":snooze 2026-12-01T09:00") == ParsedCommand(action: .snooze, argument: .snooze(.until(year: 2026, month: 12, day: 1, hour: 9, minute: 0))))
        #expect(parsed(":snooze 2026-12-01 17:30") == ParsedCommand(action: .snooze, argument: .snooze(.until(year: 2026, month: 12, day: 1, hour: 17, minute: 30))))
        #expect(parsed(":snooze 2026-12-01") == ParsedCommand(action: .snooze, argument: .snooze(.until(year: 2026, month: 12, day: 1, hour: 9, minute: 0))))
        #expect(parsed(":priority HIGH") == ParsedCommand(action: .priority, argument: .choice("high")))
        #expect(parsed(":label refund") == ParsedCommand(action: .label, argument: .label(name: "refund", add: true)))
        #expect(parsed(":label +refund") == ParsedCommand(action: .label, argument: .label(name: "refund", add: true)))
        #expect(parsed(":label -refund") == ParsedCommand(action: .label, argument: .label(name: "refund", add: false)))
        #expect(parsed(":view breached") == ParsedCommand(action: .switchView, argument: .choice("breached")))
        #expect(parsed(":note called them,  waiting  ") == ParsedCommand(action: .note, argument: .text("called them,  waiting")))
        #expect(parsed(":reply Sorry! DM us 🙏") == ParsedCommand(action: .reply, argument: .text("Sorry! DM us 🙏")))
        #expect(parsed(":search late parcel") == ParsedCommand(action: .search, argument: .text("late parcel")))
        #expect(parsed(":filter label:refund class:Complaint channel:acme priority:high")
            == ParsedCommand(action: .filter, argument: .filter(FilterTerms(label: "refund", channel: "acme", triageClass: .complaint, priority: .high))))
        #expect(parsed(":filter") == ParsedCommand(action: .filter, argument: nil))
        #expect(parsed(":availability away") == ParsedCommand(action: .availability, argument: .choice("away")))
        #expect(parsed(":wave open checkout fails") == ParsedCommand(action: .wave, argument: .wave(.open(name: "checkout fails"))))
        #expect(parsed(":wave merge #3") == ParsedCommand(action: .wave, argument: .wave(.merge(into: 3))))
        #expect(parsed(":wave out") == ParsedCommand(action: .wave, argument: .wave(.out)))
        #expect(parsed(":wave answer outage-fixed") == ParsedCommand(action: .wave, argument: .wave(.answer("outage-fixed"))))
        #expect(parsed(":help") == ParsedCommand(action: .help))
        #expect(parsed(":quit") == ParsedCommand(action: .quit))
    }

    @Test("Errors name the command and what it takes")
    func errors() {
        #expect(error(":assign") == ":assign takes one responder, like :assign dana")
        #expect(error(":assign dana lee") == ":assign takes one responder, like :assign dana")
        #expect(error(":priority hgh") == ":priority takes one of low, normal, high, urgent, like :priority urgent")
        #expect(error(":availability") == ":availability takes one of available, away, offline, like :availability offline")
        #expect(error(":snooze soon") == ":snooze takes a duration (30m, 2h, 1d, 1w, 1h30m) or a local date and time (2026-12-01T09:00 or 2026-12-01)")
        #expect(error(":snooze 2026-02-30") != nil)
        #expect(error(":snooze 2026-12-01T25:00") != nil)
        #expect(error(":snooze 0m") != nil)
        #expect(error(":snooze 2000d") != nil)
        #expect(error(":view later") == ":view takes one of mine, unassigned, open, breached, snoozed, aside, resolved, like :view resolved")
        #expect(error(":label -") == ":label needs a label name after -, like -refund")
        #expect(error(":claim now") == ":claim takes nothing after it (got \"now\")")
        #expect(error(":filter refund") == #":filter takes key:value terms with keys label, class, channel, priority, like :filter label:refund class:complaint (nothing clears the filter); "refund" is not one"#)
        #expect(error(":filter class:angry") == #":filter class: takes one of question, complaint, praise, broadcast, spam, other; "angry" is not one"#)
        #expect(error(":") == "type a command, like :claim or :snooze 2h (Tab completes the name)")
        #expect(error(":wave") == ":wave takes open, merge, out, answer, like :wave open checkout fails")
        #expect(error(":wave open") == ":wave open needs a name, like :wave open checkout fails")
        #expect(error(":wave merge soon") == ":wave merge needs the wave to merge into, like :wave merge 3")
        #expect(error(":wave out now") == ":wave out takes nothing after it: it takes the selected conversation out of its wave")
    }

    @Test("Unknown commands suggest the closest names")
    func unknown() {
        #expect(error(":clam") == "unknown command :clam; did you mean :claim or :class?")
        #expect(error(":reslove") == "unknown command :reslove; did you mean :resolve?")
        #expect(error(":undo") == "unknown command :undo; did you mean :undo-send?")
        #expect(error(":xyzzy") == "unknown command :xyzzy; Tab completes command names, ? lists them")
    }

    @Test("Tab completion of names, then of fixed values")
    func completion() {
        #expect(parser.completions(for: "re") == ["redraw", "release", "reopen", "reply", "resolve", "retry-send"])
        #expect(parser.completions(for: ":cl") == ["claim", "class"])
        #expect(parser.completions(for: "").count == ActionID.allCases.count)
        #expect(parser.completions(for: "zz").isEmpty)
        #expect(parser.completions(for: "priority ") == ["priority low", "priority normal", "priority high", "priority urgent"])
        #expect(parser.completions(for: "priority h") == ["priority high"])
        #expect(parser.completions(for: "priority high ").isEmpty)
        #expect(parser.completions(for: "availability a") == ["availability available", "availability away"])
        #expect(parser.completions(for: "filter label:refund cl").first == "filter label:refund class:question")
        #expect(parser.completions(for: "filter ch") == ["filter channel:"])
        #expect(parser.completions(for: "assign d").isEmpty)
    }

    @Test("Snooze times")
    func snoozeTimes() {
        #expect(SnoozeTime("1h30m") == .duration(seconds: 5400))
        #expect(SnoozeTime("1w") == .duration(seconds: 604_800))
        #expect(SnoozeTime("2024-02-29T08:05:59") == .until(year: 2024, month: 2, day: 29, hour: 8, minute: 5))
        #expect(SnoozeTime("2025-02-29") == nil)
        #expect(SnoozeTime("2h30") == nil)
        #expect(SnoozeTime("") == nil)
        #expect(SnoozeTime.duration(seconds: 93_600).description == "1d2h")
    }
}
