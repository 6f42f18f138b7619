import EarshotCore
import EarshotStore
import Synchronization

/// The wave detector's memory in the daemon (docs/waves.md): the window's sightings and a
/// day of word counts, fed each new customer message once by the clock's tick. Rebuilt after
/// a restart from the messages just before the stored watermark, so the usual rate of each
/// word is known again before new messages are judged.
public final class WaveWatch: Sendable {
    let detector: Mutex<WaveDetector?>

    public init(settings: WaveDetector.Settings = WaveDetector.Settings()) {
        detector = Mutex(nil)
        self.settings = settings
    }

    public let settings: WaveDetector.Settings

    /// How many messages before the watermark warm a new detector.
    static let warmUp = 5_000
}

/// What one pass of the detector did.
public struct WaveReport: Equatable, Sendable {
    public var read = 0
    public var formed: [Int64] = []
    public var joined = 0
    public var left = 0
}

extension InboxService {
    /// Reads the customer messages that arrived since the last pass, in order: a customer who
    /// writes again leaves their wave; a message on an active wave's topic joins it; a topic
    /// word bursting among the window's open conversations forms a new wave of them. Run by the
    /// clock's tick (one daemon at a time, under the clock's lease), in batches of 2,000.
    @discardableResult
    public func detectWaves(batch: Int = 2_000) throws -> WaveReport {
        var report = WaveReport()
        while true {
            // The detector is changed in place under its lock; a pass whose transaction fails
            // forgets it, and the next one rebuilds it from the stored watermark.
            let pass = try waveWatch.detector.withLock { slot -> (WaveReport, Bool) in
                do {
                    return try store.write { writer -> (WaveReport, Bool) in
                        var pass = WaveReport()
                        let last = try writer.waveProgress()
                        if slot == nil { slot = try warmedDetector(before: last, in: writer) }
                        let messages = try writer.customerMessages(afterMention: last, limit: batch)
                        var active = try writer.activeWaves()
                        let now = clock.now()
                        for message in messages {
                            pass.read += 1
                            try observe(message, detector: &slot!, active: &active, now: now, report: &pass, in: writer)
                        }
                        if let newest = messages.last { try writer.setWaveProgress(newest.mentionID) }
                        return (pass, messages.count == batch)
                    }
                } catch {
                    slot = nil
                    throw error
                }
            }
            report.read += pass.0.read
            report.formed += pass.0.formed
            report.joined += pass.0.joined
            report.left += pass.0.left
            if !pass.1 { return report }
        }
    }

    private func warmedDetector(before last: Int64, in reader: any InboxReader) throws -> WaveDetector {
        var detector = WaveDetector(settings: waveWatch.settings)
        for message in try reader.customerMessages(afterMention: max(0, last - Int64(WaveWatch.warmUp)), limit: WaveWatch.warmUp)
        where message.mentionID <= last {
            _ = detector.observe(message.conversationID, words: TopicWords.of(message.text), language: MessageLanguage.guess(message.text),
                                 at: message.at.millisecondsSinceEpoch)
        }
        return detector
    }

    private func observe(
        _ message: WaveMessage, detector: inout WaveDetector, active: inout [Wave], now: Timestamp, report: inout WaveReport,
        in writer: any InboxWriter
    ) throws {
        let words = TopicWords.of(message.text)
        let language = MessageLanguage.guess(message.text)
        // A customer who writes again leaves the wave: their new message is answered as itself.
        let member = try writer.waveMember(of: message.conversationID)
        if let member, member.leftAt == nil, message.at > member.messageAt {
            try writer.leaveWave(message.conversationID, at: now)
            report.left += 1
        }
        let bursting = detector.observe(message.conversationID, words: words, language: language, at: message.at.millisecondsSinceEpoch)
        // In a wave, or out of one for good: nothing to join.
        guard message.conversationOpen, member == nil else { return }
        // An open wave (marked by a supervisor) takes its topic's messages until answered; a
        // detected one only while its burst lasts: a message a window after its last is news.
        let window = detector.settings.window
        if let index = active.firstIndex(where: { wave in
            !wave.topicWords.isDisjoint(with: words)
                && (wave.state == .open || message.at.millisecondsSinceEpoch - (wave.lastMessageAt ?? wave.createdAt).millisecondsSinceEpoch <= window)
        }) {
            try writer.putWaveMember(WaveMember(conversationID: message.conversationID, waveID: active[index].id, joinedAt: now,
                                                messageAt: message.at, language: language))
            active[index].lastMessageAt = max(active[index].lastMessageAt ?? message.at, message.at)
            report.joined += 1
            return
        }
        // A wave needs `minimum` customers still waiting and in no wave: after a wave is
        // answered, a burst that goes on forms the next one only once that many more have written.
        let activeIDs = Set(active.map(\.id))
        for (word, sightings) in bursting {
            var eligible: [WaveDetector.Sighting] = []
            var inActiveWave = 0
            for sighting in sightings {
                if let member = try writer.waveMember(of: sighting.conversation) {
                    if member.leftAt == nil, activeIDs.contains(member.waveID) { inActiveWave += 1 }
                    continue
                }
                guard let conversation = try writer.conversation(sighting.conversation), conversation.status == .open,
                      conversation.triageClass.isRoutable else { continue }
                eligible.append(sighting)
            }
            // A second word of a burst already in a wave ("error" beside "503") is not a second wave.
            guard eligible.count >= detector.settings.minimum, inActiveWave * 2 < sightings.count else { continue }
            let wave = try writer.insertWave(name: WaveDetector.name(for: word, sightings: eligible), topic: word, state: .detected,
                                             at: now, openedBy: nil)
            var formed = wave
            formed.lastMessageAt = eligible.map { Timestamp(millisecondsSinceEpoch: $0.at) }.max()
            active.append(formed)
            report.formed.append(wave.id)
            for sighting in eligible {
                try writer.putWaveMember(WaveMember(
                    conversationID: sighting.conversation, waveID: wave.id, joinedAt: now,
                    messageAt: Timestamp(millisecondsSinceEpoch: sighting.at), language: sighting.language))
                report.joined += 1
            }
            return
        }
    }
}
