import EarshotCore

/// `earshot forecast` and the supervisor pane's staffing strip (docs/forecast.md): for each
/// coming hour, the arrivals expected from the team's history, the responders Erlang C says
/// the SLA target needs, the simulation's check of that number, and whether the responders
/// available now are enough.
public struct StaffingForecast: Codable, Sendable, Equatable {
    public struct Hour: Codable, Sendable, Equatable {
        public var start: Timestamp
        /// Whether the business calendar is open at some point in the hour. A closed hour
        /// needs nobody; its arrivals are added to the next open hour.
        public var open: Bool
        /// Conversations expected to open in the hour (with a closed stretch's carried in).
        public var arrivals: Double
        /// Erlangs: responders busy all the time at that rate.
        public var traffic: Double
        /// Responders needed by Erlang C (nil when the handling time is unknown).
        public var needed: Int?
        /// Responders needed by the discrete-event simulation of the same load.
        public var simulated: Int?
        /// Why the two disagree by more than one, when they do.
        public var disagreement: String?
        /// Responders missing if only those available now were working (0 = enough).
        public var short: Int
    }

    /// How well the method would have done last week: that week forecast from the weeks
    /// before it, against what arrived.
    public struct Backtest: Codable, Sendable, Equatable {
        public var weekStart: Timestamp
        public var weeksUsed: Int
        /// Mean absolute error of the hourly arrivals, in conversations.
        public var meanAbsoluteError: Double
        /// The same, as a share of the mean hourly arrivals (0.1 = 10%).
        public var relativeError: Double
        /// (forecast − actual) / actual of the week's total.
        public var totalError: Double
        /// Share of the week's hours whose staffing from the forecast is within one responder of
        /// the staffing from what actually arrived (nil without a handling time).
        public var staffingWithinOne: Double?
    }

    public var generatedAt: Timestamp
    /// Complete weeks of history the arrivals come from.
    public var historyWeeks: Int
    /// Growth of the weekly totals, as a share of the average week.
    public var trendPerWeek: Double
    /// Median seconds from a claim to the first reply after it, replies per conversation, and
    /// their product: the handling time per conversation (seconds). Nil when no conversation
    /// was answered.
    public var claimToReplySeconds: Double?
    public var repliesPerConversation: Double?
    public var handlingSeconds: Double?
    /// The SLA target the staffing meets, and the share of arrivals that must meet it.
    public var targetSeconds: Double
    public var serviceLevel: Double
    public var availableNow: Int
    public var teamSize: Int
    public var hours: [Hour]
    public var backtest: Backtest?
    /// What limits the forecast (no history, no answered conversations), in words.
    public var notes: [String]

    /// Hours where the responders available now are not enough.
    public var shortHours: [Hour] { hours.filter { $0.short > 0 } }

    /// Sets who is available now, and so which hours are short.
    mutating func staff(available: Int, team: Int) {
        (availableNow, teamSize) = (available, team)
        for index in hours.indices { hours[index].short = max(0, (hours[index].needed ?? 0) - available) }
    }
}

/// What to forecast, as the CLI and the wire ask for it.
public struct ForecastOptions: Codable, Sendable, Equatable, Hashable {
    /// Days ahead, from the current hour (1 to 28).
    public var days: Int
    /// Weeks of history to learn from, at most (1 to 52).
    public var weeks: Int
    /// The share of arrivals to answer within the target (0.5 to 0.99).
    public var serviceLevel: Double
    /// The target in seconds; nil: the first-response target of normal priority in the SLA policy.
    public var targetSeconds: Double?

    public static let daysRange = 1...28
    public static let weeksRange = 1...52
    public static let serviceLevelRange = 0.5...0.99

    public init(days: Int = 7, weeks: Int = 8, serviceLevel: Double = 0.8, targetSeconds: Double? = nil) {
        self.days = days
        self.weeks = weeks
        self.serviceLevel = serviceLevel
        self.targetSeconds = targetSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            days: try container.decodeIfPresent(Int.self, forKey: .days) ?? 7,
            weeks: try container.decodeIfPresent(Int.self, forKey: .weeks) ?? 8,
            serviceLevel: try container.decodeIfPresent(Double.self, forKey: .serviceLevel) ?? 0.8,
            targetSeconds: try container.decodeIfPresent(Double.self, forKey: .targetSeconds))
    }

    /// What is out of range, in words (nil: all fine).
    public var problem: String? {
        if !Self.daysRange.contains(days) { return "days must be 1 to 28, not \(days)" }
        if !Self.weeksRange.contains(weeks) { return "weeks must be 1 to 52, not \(weeks)" }
        if !Self.serviceLevelRange.contains(serviceLevel) { return "the service level must be 50% to 99%, not \(serviceLevel * 100)%" }
        if let targetSeconds, !(targetSeconds > 0) { return "the target must be longer than 0 seconds" }
        return nil
    }
}
