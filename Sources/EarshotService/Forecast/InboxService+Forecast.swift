import EarshotCore
import EarshotStore
import Synchronization

extension InboxService {
    /// The staffing forecast for the coming hours (docs/forecast.md). Learned from the last
    /// `options.weeks` weeks; remembered for the rest of the hour, since the history it reads
    /// changes the forecast by a conversation at a time.
    public func forecast(_ options: ForecastOptions = ForecastOptions()) throws -> StaffingForecast {
        if let problem = options.problem { throw ServiceError.invalid(problem) }
        let now = clock.now()
        let firstHour = now.millisecondsSinceEpoch / StaffingForecaster.hour * StaffingForecaster.hour
        // Who is available changes by the minute: read every time, while the history's part is remembered.
        let team = try store.read { try $0.responders(includingRemoved: false) }
        let available = team.filter { $0.availability == .available }.count
        if var remembered = forecasts.remembered(options, hour: firstHour) {
            remembered.staff(available: available, team: team.count)
            return remembered
        }
        let forecaster = StaffingForecaster(options: options, sla: sla, firstHour: firstHour, availableNow: available, teamSize: team.count)
        let history = try store.read {
            try $0.forecastHistory(from: Timestamp(millisecondsSinceEpoch: forecaster.historyStart), to: Timestamp(millisecondsSinceEpoch: firstHour),
                                   handlingFrom: Timestamp(millisecondsSinceEpoch: forecaster.handlingStart))
        }
        let forecast = forecaster.forecast(from: history, now: now)
        forecasts.remember(forecast, for: options, hour: firstHour)
        return forecast
    }
}

/// Forecasts already made this hour, by their options. A supervisor pane asks every few
/// seconds; at a million conversations a forecast reads for about a second.
public final class ForecastMemory: Sendable {
    private struct Key: Hashable {
        var options: ForecastOptions
        var hour: Int64
    }

    private let made = Mutex<[Key: StaffingForecast]>([:])

    public init() {}

    func remembered(_ options: ForecastOptions, hour: Int64) -> StaffingForecast? {
        made.withLock { $0[Key(options: options, hour: hour)] }
    }

    func remember(_ forecast: StaffingForecast, for options: ForecastOptions, hour: Int64) {
        made.withLock { made in
            made = made.filter { $0.key.hour == hour }
            made[Key(options: options, hour: hour)] = forecast
        }
    }
}
