import EarshotCore

// What clients read: queue windows, threads, the status line, the log, statistics.

extension Inbox {
    /// Who the daemon (the kernel) says the caller is.
    public struct WhoAmI: InboxRequest {
        public static let method = "whoami"
        public init() {}
        public func handle(in context: RequestContext) throws -> Identity { Identity(login: context.login) }
    }

    public struct Identity: Codable, Sendable, Equatable {
        public var login: String
    }

    /// One window of a queue view (`QueueWindowRequest`: view, filter, anchor, limit).
    public typealias Queue = QueueWindowRequest

    /// A conversation with its messages, replies and notes in order, the customer's earlier
    /// conversations, the caller's draft and who else is there.
    public struct GetThread: InboxRequest {
        public static let method = "thread"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> ConversationThread {
            var thread = try context.service.thread(conversation, for: context.login)
            thread.presence = context.othersPresent(conversation)
            return thread
        }
    }

    /// The caller's load, the backlog and the service clock, for the status line.
    public struct Summary: InboxRequest {
        public static let method = "summary"
        public init() {}
        public func handle(in context: RequestContext) throws -> InboxSummary { try context.service.summary(for: context.login) }
    }

    /// The event log as a stream: events after `after` (null = none, only where the log ends),
    /// oldest first, at most `limit` (1 to 10,000; default 100).
    public struct Events: InboxRequest {
        public static let method = "events"
        public var after: EventID?
        public var limit: Int
        public init(after: EventID?, limit: Int = 100) { (self.after, self.limit) = (after, limit) }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            after = try container.decodeIfPresent(EventID.self, forKey: .after)
            limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 100
        }
        public func handle(in context: RequestContext) throws -> EventBatch {
            try context.service.events(after: after, limit: limit, for: context.login)
        }
    }

    /// Latency and SLA figures with the live load (docs/metrics.md); only supervisors get
    /// every responder's row.
    public struct Stats: InboxRequest {
        public static let method = "stats"
        public var by: StatsGrouping
        public var since: Timestamp?
        public var until: Timestamp?
        public init(by grouping: StatsGrouping, since: Timestamp? = nil, until: Timestamp? = nil) {
            (by, self.since, self.until) = (grouping, since, until)
        }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            by = try container.decodeIfPresent(StatsGrouping.self, forKey: .by) ?? .responder
            since = try container.decodeIfPresent(Timestamp.self, forKey: .since)
            until = try container.decodeIfPresent(Timestamp.self, forKey: .until)
        }
        public func handle(in context: RequestContext) throws -> StatsReport {
            try context.service.stats(grouping: by, since: since, until: until, by: context.login)
        }
    }

    /// The staffing forecast for the coming days (docs/forecast.md): expected arrivals, the
    /// responders needed per hour, the backtest. `options` fields may be left out.
    public struct Forecast: InboxRequest {
        public static let method = "forecast"
        public var options: ForecastOptions
        public init(_ options: ForecastOptions = ForecastOptions()) { self.options = options }
        public init(from decoder: any Decoder) throws {
            options = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(ForecastOptions.self, forKey: .options) ?? ForecastOptions()
        }
        public func handle(in context: RequestContext) throws -> StaffingForecast { try context.service.forecast(options) }
    }

    /// The supervisor pane's picture (supervisors only).
    public struct Supervisor: InboxRequest {
        public static let method = "supervisor"
        public init() {}
        public func handle(in context: RequestContext) throws -> SupervisorSnapshot { try context.service.supervisorSnapshot(for: context.login) }
    }

    /// A responder's login, for display (null when there is none by that id).
    public struct ResponderLogin: InboxRequest {
        public static let method = "responder.login"
        public var responder: ResponderID
        public init(_ responder: ResponderID) { self.responder = responder }
        public func handle(in context: RequestContext) throws -> String? { try context.service.store.read { try $0.responder(responder)?.login } }
    }
}

extension QueueWindowRequest: InboxRequest {
    public static let method = "queue"

    public func handle(in context: RequestContext) throws -> [QueueRow] { try context.service.queueWindow(self, for: context.login) }

    /// A window the daemon cut to fit one message goes on after its last row until it has what was asked.
    public func remainder(after partial: [QueueRow]) -> QueueWindowRequest? {
        guard partial.count < limit, let last = partial.last else { return nil }
        var next = self
        next.anchor = .after(last.position)
        next.limit = limit - partial.count
        return next
    }

    public func joining(_ first: [QueueRow], _ rest: [QueueRow]) -> [QueueRow] { first + rest }
}
