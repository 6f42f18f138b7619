import EarshotCore
import EarshotService
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    func load(_ text: String) throws -> EarshotConfig {
        var config = EarshotConfig()
        try ConfigLoader.apply(text, from: "config.toml", to: &config)
        return config
    }

    @Test func slaTargetsAndBusinessHoursAreRead() throws {
        let config = try load("""
            [assignment]
            routing = "round_robin"

            [sla]
            warning = 0.8

            [sla.urgent]
            first_response = "10m"
            reply = "none"
            business_hours = true

            [business_hours]
            time_zone = "Europe/Berlin"
            monday = ["09:00-12:00", "13:00-17:00"]
            friday = ["22:00-06:00"]
            holidays = ["2026-12-25"]
            """)
        #expect(config.assignment.routing == .roundRobin)
        #expect(config.sla.warningFraction == 0.8)
        #expect(config.sla.targets[.urgent] == SLATarget(firstResponse: 600_000, reply: nil, businessHoursOnly: true))
        // Priorities not mentioned keep their defaults.
        #expect(config.sla.targets[.normal] == SLAPolicy.defaultTargets[.normal])
        #expect(config.sla.calendar.timeZone.identifier == "Europe/Berlin")
        #expect(config.sla.calendar.weekly[2] == [BusinessCalendar.Interval(start: 540, end: 720), BusinessCalendar.Interval(start: 780, end: 1_020)])
        #expect(config.sla.calendar.weekly[6] == [BusinessCalendar.Interval(start: 1_320, end: 1_800)])
        #expect(config.sla.calendar.weekly[3] == nil)
        #expect(config.sla.calendar.holidays == [BusinessCalendar.Day(year: 2026, month: 12, day: 25)])
    }

    @Test func mistakesNameTheFileLineAndWhatIsAccepted() throws {
        func message(_ text: String) -> String? {
            do {
                _ = try load(text)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message("[sla.urgent]\nfirst_response = \"soon\"\n")
                == "config.toml:2: sla.urgent.first_response must be a duration like \"15m\", \"4h\", \"1d\" or \"none\"")
        #expect(message("[sla]\nwarning = 2\n") == "config.toml:2: sla.warning must be a fraction between 0 and 1, like 0.75")
        #expect(message("[business_hours]\ntime_zone = \"Mars/Olympus\"\n")
                == "config.toml:2: business_hours.time_zone must be a zone name like \"Europe/Berlin\"")
        #expect(message("[business_hours]\nmonday = [\"09:00-12:00\", \"11:00-13:00\"]\n")
                == "config.toml:2: business_hours.monday: 11:00-13:00 overlaps another interval")
        #expect(message("[business_hours]\nfunday = []\n")?.hasPrefix("config.toml:2: unknown key funday in [business_hours]") == true)
        #expect(message("[queue]\nsize = 3\n")?.hasPrefix("config.toml:1: unknown section [queue]") == true)
        #expect(message("[assignment\n")?.hasPrefix("config.toml:1: not valid TOML") == true)
    }
}

@Suite struct DeliveryConfigTests {
    @Test func theDeliverySectionIsReadAndMistakesAreLocated() throws {
        var config = EarshotConfig()
        try ConfigLoader.apply("""
            [delivery]
            command = ["/usr/local/bin/post-reply", "--channel", "x"]
            undo_seconds = 10
            max_attempts = 3
            retry_base_seconds = 5
            retry_max_seconds = 60
            timeout_seconds = 20
            """, from: "config.toml", to: &config)
        #expect(config.delivery.command == ["/usr/local/bin/post-reply", "--channel", "x"])
        #expect(config.delivery.undoSeconds == 10)
        #expect(config.delivery.maxAttempts == 3)
        #expect(config.delivery.retryDelay(afterAttempt: 1) == .seconds(5))
        #expect(config.delivery.retryDelay(afterAttempt: 4) == .seconds(40))
        #expect(config.delivery.retryDelay(afterAttempt: 5) == .seconds(60))
        #expect(config.delivery.timeoutSeconds == 20)
        #expect(EarshotConfig().delivery.undoSeconds == 5)

        func problem(_ text: String) -> String {
            do {
                try ConfigLoader.apply(text, from: "config.toml", to: &config)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("[delivery]\ncommand = \"post-reply --x\"\n") == "config.toml:2: delivery.command must be a non-empty array "
            + "of strings, e.g. [\"/usr/local/bin/post-reply\", \"--channel\", \"x\"] (no shell runs it)")
        #expect(problem("[delivery]\nundo_seconds = 0\nmax_attempts = 0\n")
            == "config.toml:3: delivery.max_attempts must be a whole number of attempts, 1 or more")
    }
}
