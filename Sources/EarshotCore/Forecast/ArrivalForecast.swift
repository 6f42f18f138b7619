/// Expected arrivals per hour from the same hour of the week over the last weeks, scaled by
/// the trend of the weekly totals (docs/forecast.md). Weeks are 168 hours counted back from
/// the forecast's first hour, so an hour is compared with the same hour a week, two weeks...
/// earlier.
public struct ArrivalForecast: Sendable, Equatable {
    public static let hoursPerWeek = 168

    /// Arrivals per hour of the history, oldest week first, 168 counts a week.
    public var weeks: [[Int]]

    public init(weeks: [[Int]]) {
        self.weeks = weeks
    }

    /// Cuts an hourly series (oldest first, whole weeks at its end) into weeks; a partial
    /// oldest week is left out.
    public init(hourly: [Int]) {
        let whole = hourly.count / Self.hoursPerWeek
        let skip = hourly.count - whole * Self.hoursPerWeek
        weeks = (0..<whole).map { week in
            let from = skip + week * Self.hoursPerWeek
            return Array(hourly[from..<from + Self.hoursPerWeek])
        }
    }

    /// Least-squares slope of the weekly totals, arrivals per week per week (0 with fewer than two weeks).
    public var weeklySlope: Double {
        let totals = weeks.map { Double($0.reduce(0, +)) }
        guard totals.count >= 2 else { return 0 }
        let n = Double(totals.count)
        let meanX = (n - 1) / 2, meanY = totals.reduce(0, +) / n
        var covariance = 0.0, variance = 0.0
        for (x, y) in totals.enumerated() {
            covariance += (Double(x) - meanX) * (y - meanY)
            variance += (Double(x) - meanX) * (Double(x) - meanX)
        }
        return covariance / variance
    }

    /// The growth per week as a share of the average week (0.05 = 5% more each week).
    public var trendPerWeek: Double {
        let mean = Double(weeks.reduce(0) { $0 + $1.reduce(0, +) }) / Double(max(1, weeks.count))
        return mean > 0 ? weeklySlope / mean : 0
    }

    /// Expected arrivals in the hour `offset` hours after the history ends (0 = the first hour
    /// after it): the mean of that hour of the week, times the trend line's value for its week
    /// over the line's mean. Never negative; the factor is held between 0 and 3 so a short,
    /// steep history cannot forecast an explosion.
    public func expected(hour offset: Int) -> Double {
        guard !weeks.isEmpty, offset >= 0 else { return 0 }
        let slot = offset % Self.hoursPerWeek
        let mean = Double(weeks.reduce(0) { $0 + $1[slot] }) / Double(weeks.count)
        let weeksAhead = Double(weeks.count + offset / Self.hoursPerWeek)
        let meanWeek = Double(weeks.count - 1) / 2
        let factor = 1 + trendPerWeek * (weeksAhead - meanWeek)
        return mean * min(3, max(0, factor))
    }
}
