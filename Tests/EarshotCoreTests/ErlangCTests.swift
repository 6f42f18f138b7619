import EarshotCore
import Testing

/// Erlang C against the textbook case and the factorial form worked out independently
/// (Python: C(N, A) = (Aᴺ/N! · N/(N−A)) / (Σₖ₌₀ᴺ⁻¹ Aᵏ/k! + Aᴺ/N! · N/(N−A))), and the
/// discrete-event simulation against the formula where its assumptions hold.
@Suite struct ErlangCTests {
    /// 100 contacts in 30 minutes, 3 minutes each, 80% within 20 seconds: 10 erlangs.
    @Test func theTextbookCase() {
        let traffic = ErlangC.traffic(arrivalsPerHour: 200, handlingSeconds: 180)
        #expect(abs(traffic - 10) < 1e-12)
        #expect(abs(ErlangC.waitProbability(agents: 11, traffic: 10) - 0.6821) < 5e-5)
        let levels = (11...14).map { ErlangC.serviceLevel(agents: $0, traffic: 10, handlingSeconds: 180, targetSeconds: 20) }
        for (level, expected) in zip(levels, [0.3896, 0.6402, 0.7956, 0.8884]) { #expect(abs(level - expected) < 5e-5) }
        #expect(ErlangC.agentsNeeded(arrivalsPerHour: 200, handlingSeconds: 180, targetSeconds: 20, goal: 0.8) == 14)
    }

    @Test func edges() {
        #expect(ErlangC.agentsNeeded(arrivalsPerHour: 0, handlingSeconds: 180, targetSeconds: 20, goal: 0.8) == 0)
        // As many responders as erlangs never catch up: the queue grows without end.
        #expect(ErlangC.waitProbability(agents: 10, traffic: 10) == 1)
        #expect(ErlangC.serviceLevel(agents: 10, traffic: 10, handlingSeconds: 180, targetSeconds: 20) == 0)
        // Hundreds of responders: the recursion stays finite where factorials overflow.
        let big = ErlangC.agentsNeeded(arrivalsPerHour: 20_000, handlingSeconds: 180, targetSeconds: 20, goal: 0.9)
        #expect(big > 1_000 && big < 1_100)
    }

    @Test func theSimulationAgreesWithTheFormulaInSteadyState() {
        for (agents, arrivals) in [(14, 200.0), (4, 24.0), (2, 5.0)] {
            let simulation = QueueSimulation(arrivalsPerHour: arrivals, handlingSeconds: 180, targetSeconds: 20, customers: 200_000)
            let traffic = ErlangC.traffic(arrivalsPerHour: arrivals, handlingSeconds: 180)
            let formula = ErlangC.serviceLevel(agents: agents, traffic: traffic, handlingSeconds: 180, targetSeconds: 20)
            #expect(abs(simulation.serviceLevel(agents: agents) - formula) < 0.01, "\(agents) responders, \(arrivals) an hour")
        }
        let simulation = QueueSimulation(arrivalsPerHour: 200, handlingSeconds: 180, targetSeconds: 20)
        #expect(abs(simulation.agentsNeeded(goal: 0.8, from: 10) - 14) <= 1)
    }

    @Test func arrivalsFollowTheHourOfTheWeekAndTheTrend() {
        // Two weeks: hour 5 of each week had 4 then 6; every other hour 0 then 0.
        var first = Array(repeating: 0, count: 168), second = first
        first[5] = 4
        second[5] = 6
        let forecast = ArrivalForecast(weeks: [first, second])
        // The weekly totals rise by 2 on an average of 5: +40% a week.
        #expect(abs(forecast.trendPerWeek - 0.4) < 1e-12)
        // Mean 5, on the line one and a half weeks past the middle: 5 · (1 + 0.4 · 1.5) = 8.
        #expect(abs(forecast.expected(hour: 5) - 8) < 1e-12)
        #expect(abs(forecast.expected(hour: 168 + 5) - 10) < 1e-12)
        #expect(forecast.expected(hour: 6) == 0)
        // A partial oldest week is left out.
        #expect(ArrivalForecast(hourly: Array(repeating: 1, count: 170)).weeks.count == 1)
    }
}
