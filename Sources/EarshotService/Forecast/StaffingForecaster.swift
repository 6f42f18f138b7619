import EarshotCore
import EarshotStore

/// Turns the team's history into a `StaffingForecast` (docs/forecast.md). Pure: the store
/// read is done by the caller, so tests give it fixed numbers.
struct StaffingForecaster {
    var options: ForecastOptions
    var sla: SLAPolicy
    /// The first hour forecast: the current hour's start. The history ends there.
    var firstHour: Int64
    var availableNow: Int
    var teamSize: Int

    static let hour: Int64 = 3_600_000
    static let week = Int64(ArrivalForecast.hoursPerWeek) * hour

    /// Where the history to read begins: `weeks` whole weeks before the first hour.
    var historyStart: Int64 { firstHour - Int64(options.weeks) * Self.week }
    /// The handling time is the team's recent pace: the last two weeks of the history (a
    /// median over tens of thousands of conversations moves little with more, and reading a
    /// million claims costs a second).
    static let handlingWeeks = 2
    var handlingStart: Int64 { max(historyStart, firstHour - Int64(Self.handlingWeeks) * Self.week) }

    var targetSeconds: Double {
        options.targetSeconds ?? Double(sla.targets[.normal]?.firstResponse ?? 4 * Self.hour) / 1_000
    }

    func forecast(from history: ForecastHistory, now: Timestamp) -> StaffingForecast {
        var notes: [String] = []
        let arrivals = arrivalModel(history)
        if arrivals.weeks.isEmpty {
            notes.append("no complete week of history yet: arrivals are forecast from whole weeks, so every hour shows 0")
        }
        let handling = HandlingTime(history)
        if handling.perConversationSeconds == nil {
            notes.append("no conversation was answered after a claim in the history: the handling time, and so the staffing, is unknown")
        }
        let hours = coming(arrivals, handling: handling)
        return StaffingForecast(
            generatedAt: now, historyWeeks: arrivals.weeks.count, trendPerWeek: arrivals.trendPerWeek,
            claimToReplySeconds: handling.claimToReplySeconds, repliesPerConversation: handling.repliesPerConversation,
            handlingSeconds: handling.perConversationSeconds, targetSeconds: targetSeconds, serviceLevel: options.serviceLevel,
            availableNow: availableNow, teamSize: teamSize, hours: hours,
            backtest: backtest(arrivals, handling: handling), notes: notes)
    }

    /// The hourly counts of the whole weeks read, oldest first; weeks before the first
    /// conversation are left out rather than counted as silent.
    func arrivalModel(_ history: ForecastHistory) -> ArrivalForecast {
        guard let first = history.arrivals.keys.min() else { return ArrivalForecast(weeks: []) }
        let weeksWithData = Int((firstHour - first) / Self.week)
        let weeks = min(options.weeks, weeksWithData)
        let start = firstHour - Int64(weeks) * Self.week
        let hourly = (0..<(weeks * ArrivalForecast.hoursPerWeek)).map { history.arrivals[start + Int64($0) * Self.hour] ?? 0 }
        return ArrivalForecast(hourly: hourly)
    }

    private func coming(_ arrivals: ArrivalForecast, handling: HandlingTime) -> [StaffingForecast.Hour] {
        var checks = SimulationChecks(targetSeconds: targetSeconds, goal: options.serviceLevel)
        var carried = 0.0
        return (0..<(options.days * 24)).map { offset in
            let start = firstHour + Int64(offset) * Self.hour
            let open = sla.calendar.businessMilliseconds(from: Timestamp(millisecondsSinceEpoch: start),
                                                         to: Timestamp(millisecondsSinceEpoch: start + Self.hour)) > 0
            let expected = arrivals.expected(hour: offset)
            guard open else {
                carried += expected
                return StaffingForecast.Hour(start: Timestamp(millisecondsSinceEpoch: start), open: false, arrivals: expected,
                                             traffic: 0, needed: 0, simulated: nil, disagreement: nil, short: 0)
            }
            let load = expected + carried
            carried = 0
            var hour = StaffingForecast.Hour(start: Timestamp(millisecondsSinceEpoch: start), open: true, arrivals: load,
                                             traffic: 0, needed: nil, simulated: nil, disagreement: nil, short: 0)
            guard let seconds = handling.perConversationSeconds else { return hour }
            hour.traffic = ErlangC.traffic(arrivalsPerHour: load, handlingSeconds: seconds)
            let needed = ErlangC.agentsNeeded(arrivalsPerHour: load, handlingSeconds: seconds, targetSeconds: targetSeconds, goal: options.serviceLevel)
            hour.needed = needed
            hour.short = max(0, needed - availableNow)
            let simulated = checks.agentsNeeded(arrivalsPerHour: load, handlingSeconds: seconds, near: needed)
            hour.simulated = simulated
            if abs(simulated - needed) > 1 {
                let utilisation = Int((hour.traffic / Double(needed) * 100).rounded())
                hour.disagreement = "the simulation needs \(simulated): at \(utilisation)% utilisation, "
                    + (simulated > needed ? "its queue had not settled in \(SimulationChecks.customers.formatted()) arrivals, while Erlang C assumes it has"
                                          : "its \(SimulationChecks.customers.formatted()) arrivals met the target with fewer than the formula's steady state asks")
            }
            return hour
        }
    }

    /// Last week forecast from the weeks before it, hour by hour, against what arrived.
    private func backtest(_ arrivals: ArrivalForecast, handling: HandlingTime) -> StaffingForecast.Backtest? {
        guard arrivals.weeks.count >= 2, let actual = arrivals.weeks.last else { return nil }
        let earlier = ArrivalForecast(weeks: Array(arrivals.weeks.dropLast()))
        let forecast = (0..<ArrivalForecast.hoursPerWeek).map { earlier.expected(hour: $0) }
        let actualTotal = Double(actual.reduce(0, +))
        let absoluteErrors = zip(forecast, actual).map { abs($0 - Double($1)) }
        let meanError = absoluteErrors.reduce(0, +) / Double(absoluteErrors.count)
        let meanArrivals = actualTotal / Double(actual.count)
        var withinOne: Double?
        if let seconds = handling.perConversationSeconds {
            let agreeing = zip(forecast, actual).filter { predicted, arrived in
                let fromForecast = ErlangC.agentsNeeded(arrivalsPerHour: predicted, handlingSeconds: seconds, targetSeconds: targetSeconds, goal: options.serviceLevel)
                let fromActual = ErlangC.agentsNeeded(arrivalsPerHour: Double(arrived), handlingSeconds: seconds, targetSeconds: targetSeconds, goal: options.serviceLevel)
                return abs(fromForecast - fromActual) <= 1
            }.count
            withinOne = Double(agreeing) / Double(actual.count)
        }
        return StaffingForecast.Backtest(
            weekStart: Timestamp(millisecondsSinceEpoch: firstHour - Self.week), weeksUsed: earlier.weeks.count,
            meanAbsoluteError: meanError, relativeError: meanArrivals > 0 ? meanError / meanArrivals : 0,
            totalError: actualTotal > 0 ? (forecast.reduce(0, +) - actualTotal) / actualTotal : 0,
            staffingWithinOne: withinOne)
    }
}

/// Handling time per conversation from the history: one reply's work, the median time from a
/// claim to the first reply after it (the median, so a conversation held over lunch does not
/// count as an hour's work), times the replies a conversation takes.
struct HandlingTime {
    var claimToReplySeconds: Double?
    var repliesPerConversation: Double?

    init(_ history: ForecastHistory) {
        var samples = history.claimToReply
        if let median = Percentile.nearestRanks(selectingIn: &samples, [0.5]).first ?? nil {
            claimToReplySeconds = Double(median) / 1_000
        }
        if history.conversationsReplied > 0 {
            repliesPerConversation = max(1, Double(history.repliesSent) / Double(history.conversationsReplied))
        }
    }

    var perConversationSeconds: Double? {
        guard let claimToReplySeconds, claimToReplySeconds > 0 else { return nil }
        return claimToReplySeconds * (repliesPerConversation ?? 1)
    }
}

/// The simulation's answer per load, remembered: hours with the same expected arrivals (a
/// quiet night, a repeated weekday) are simulated once.
struct SimulationChecks {
    static let customers = 20_000
    var targetSeconds: Double
    var goal: Double
    private var answers: [Int64: Int] = [:]

    init(targetSeconds: Double, goal: Double) {
        self.targetSeconds = targetSeconds
        self.goal = goal
    }

    mutating func agentsNeeded(arrivalsPerHour: Double, handlingSeconds: Double, near erlang: Int) -> Int {
        let key = Int64((arrivalsPerHour * 100).rounded())
        if let known = answers[key] { return known }
        let simulation = QueueSimulation(arrivalsPerHour: arrivalsPerHour, handlingSeconds: handlingSeconds,
                                         targetSeconds: targetSeconds, customers: Self.customers)
        let answer = simulation.agentsNeeded(goal: goal, from: max(1, erlang - 2))
        answers[key] = answer
        return answer
    }
}
