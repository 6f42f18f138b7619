import EarshotCore
import EarshotStore

extension StatsEngine {
    /// The report the way it was made before the wait facts (issue 18): the whole event log
    /// replayed, every conversation's samples computed on the spot. Kept as the reference the
    /// tests hold the facts to (StatsFactsTests).
    func reportFromEventLog(grouping: StatsGrouping, since: Timestamp? = nil, until: Timestamp? = nil) throws -> StatsReport {
        try store.read { reader in
            let facts = try reader.conversationFacts()
            var tally = StatsTally(grouping: grouping, sla: sla, channels: try channels(reader))
            func inRange(_ time: Timestamp) -> Bool {
                (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
            }
            try reader.forEachTimeline { conversation, entries in
                guard let fact = facts.facts(of: conversation) else { return }
                let latency = LatencyCalculator.latency(of: entries)
                for reply in latency.replies where inRange(reply.at) {
                    tally.replySent(at: reply.at, by: reply.responder, channel: fact.channel)
                }
                for resolve in latency.resolves where inRange(resolve.at) {
                    tally.resolved(at: resolve.at, by: resolve.responder, channel: fact.channel)
                }
                for sample in latency.samples where inRange(sample.start) {
                    tally.sample(
                        sample.kind, start: sample.start, milliseconds: sample.milliseconds, by: sample.responder,
                        channel: fact.channel, priority: fact.priority)
                }
            }
            return tally.report(since: since, until: until, live: try live(reader))
        }
    }
}
