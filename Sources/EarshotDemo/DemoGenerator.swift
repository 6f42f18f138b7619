import EarshotCore
import Foundation

/// A brand account the demo's customers write to.
public struct DemoChannel: Hashable, Sendable {
    public let platform: Platform
    public let handle: String
    /// How a customer addresses it at the start of a post.
    public let address: String
}

/// A simulated customer: one handle on one channel's platform, writing in one language.
public struct DemoCustomer: Hashable, Sendable {
    public let number: Int
    public let channel: DemoChannel
    public let handle: String
    public let name: String
    public let language: DemoLanguage
    /// A throwaway account posting scams: it never writes as a customer.
    public let isScammer: Bool
    /// Their latest post, which a message in the same thread answers.
    public internal(set) var lastPostID: String?
}

/// One generated customer post, and what it means (for tests and for teammates' answers).
public struct DemoMention: Equatable, Sendable {
    public var externalID: String
    public var customer: DemoCustomer
    public var text: String
    public var intent: DemoIntent
    public var topic: DemoTopic
    /// What exactly it asks or reports (`whereIsOrder`, `doubleCharge`...), which picks the answer.
    public var subject: String
    public var kind: MentionKind
    public var inReplyTo: String?
    public var referencedID: String?
    public var referencedAuthor: String?
    /// Set when the customer writes again in a thread.
    public var followUp: DemoFollowUp?
    /// Slot values used in the text (`order`, `item`...), so an answer can reuse them.
    public var values: [String: String]

    public var channel: DemoChannel { customer.channel }
    public var language: DemoLanguage { customer.language }

    /// The post as a line of Earshot JSON Lines (docs/ingest.md), stamped `createdAt`.
    public func jsonLine(createdAt: Timestamp) -> String {
        var object: [String: Any] = [
            "platform": channel.platform.rawValue, "external_id": externalID, "channel": channel.handle,
            "author": customer.handle, "author_name": customer.name, "text": text, "created_at": createdAt.iso8601,
            "kind": kind.rawValue,
        ]
        if let inReplyTo { object["in_reply_to"] = inReplyTo }
        if let referencedID { object["referenced_id"] = referencedID }
        if let referencedAuthor { object["referenced_author"] = referencedAuthor }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A stretch of demo time when many customers write at once about the same trouble (an
/// outage, a viral post): extra arrivals on one channel, mostly complaints.
public struct DemoBurst: Equatable, Sendable {
    public var start: Double
    public var end: Double
    public var channel: DemoChannel
    /// The error everyone in the burst quotes: one outage, one code (what makes it a wave).
    /// Server errors, which everyday complaints never quote (their codes are the app's own).
    public var code: String { Self.codes[Int(start) % Self.codes.count] }
    public static let codes = ["503", "502", "500", "504", "520", "521", "522", "523", "524"]
}

/// Makes the demo's stream of customer posts: arrival times that follow a daily curve with
/// random bursts (an outage: many customers on one channel at once), and texts from templates per intent in English, Spanish and Japanese, with
/// emoji, from new and returning customers on three channels.
///
/// Deterministic: the same seed and the same calls give the same posts. Times are demo
/// seconds since midnight of the first demo day (so `9 * 3600` is 09:00).
public struct DemoGenerator: Sendable {
    public static let channels = [
        DemoChannel(platform: .x, handle: "AcmeSupport", address: "@AcmeSupport"),
        DemoChannel(platform: .mastodon, handle: "acme@mastodon.social", address: "@acme"),
        DemoChannel(platform: .bluesky, handle: "acme.bsky.social", address: "@acme.bsky.social"),
    ]
    static let channelShares: [(Int, Double)] = [(0, 0.55), (1, 0.2), (2, 0.25)]

    /// Posts per hour at the busiest time of a normal day.
    public static let peakPerHour = 90.0
    /// Fraction of the peak per hour of the day (00:00 to 23:00), linearly interpolated:
    /// quiet at night, busy 9 to 18 with a dip at lunch, a long evening tail.
    static let dailyCurve: [Double] = [
        0.10, 0.07, 0.05, 0.04, 0.04, 0.06, 0.12, 0.30, 0.60, 0.90, 1.00, 1.00,
        0.85, 0.85, 0.95, 1.00, 0.95, 0.85, 0.70, 0.55, 0.48, 0.40, 0.28, 0.16,
    ]
    /// Mean demo seconds between bursts, and how long one lasts.
    static let meanBurstGap = 2.5 * 3600
    static let burstLength = 240.0...600.0

    static let intentMix: [(DemoIntent, Double)] = [
        (.question, 0.38), (.complaint, 0.25), (.praise, 0.14), (.broadcast, 0.12), (.spam, 0.11),
    ]
    static let languageMix: [(DemoLanguage, Double)] = [(.english, 0.78), (.spanish, 0.12), (.japanese, 0.10)]

    private var random: DemoRandom
    /// Follow-ups draw from their own stream: how a conversation goes (which depends on the
    /// team and on real timing) then never shifts the stream of new posts.
    private var followUpRandom: DemoRandom
    public private(set) var customers: [DemoCustomer] = []
    /// Indexes in `customers` of the real customers (not scammers), who may write again.
    private var regulars: [Int] = []
    private var handles: Set<String> = []
    private var serial = 0
    private var bursts: [DemoBurst] = []
    private var burstsPlannedUntil: Double

    public init(seed: UInt64, from start: Double = 0) {
        random = DemoRandom(seed: seed)
        followUpRandom = DemoRandom(seed: seed ^ 0xF011_0F11_0F11_0F11)
        burstsPlannedUntil = start
    }

    /// The normal arrival rate (posts per hour) at a time of day, bursts aside.
    public static func arrivalsPerHour(atSecondOfDay second: Double) -> Double {
        let hour = (second.truncatingRemainder(dividingBy: 86_400) + 86_400).truncatingRemainder(dividingBy: 86_400) / 3600
        let lower = Int(hour) % 24
        let fraction = hour - Double(Int(hour))
        let weight = dailyCurve[lower] * (1 - fraction) + dailyCurve[(lower + 1) % 24] * fraction
        return peakPerHour * weight
    }

    static func burstPerHour(atSecondOfDay second: Double) -> Double { 1.5 * arrivalsPerHour(atSecondOfDay: second) + 20 }
    static let maximumPerHour = 2.5 * peakPerHour + 20

    /// The burst going on at `time`, if any.
    public mutating func burst(at time: Double) -> DemoBurst? {
        planBursts(through: time)
        return bursts.last { $0.start <= time && time < $0.end }
    }

    /// The arrival rate at `time`, bursts included, in posts per hour.
    public mutating func arrivalsPerHour(at time: Double) -> Double {
        Self.arrivalsPerHour(atSecondOfDay: time) + (burst(at: time) != nil ? Self.burstPerHour(atSecondOfDay: time) : 0)
    }

    /// When the next post arrives after `time`: a Poisson process whose rate follows the day
    /// and the bursts (drawn by thinning at the highest rate).
    public mutating func nextArrival(after time: Double) -> Double {
        var candidate = time
        while true {
            candidate += random.exponential(mean: 3600 / Self.maximumPerHour)
            if random.unit() * Self.maximumPerHour < arrivalsPerHour(at: candidate) { return candidate }
        }
    }

    /// A customer's post arriving at `time`.
    public mutating func mention(at time: Double) -> DemoMention {
        if let burst = burst(at: time), random.chance(0.75) {
            return outageReport(in: burst)
        }
        let intent = random.pick(weighted: Self.intentMix)
        switch intent {
        case .broadcast: return broadcast()
        case .spam: return post(intent: .spam, by: newCustomer(on: pickChannel(), scammer: true))
        default:
            let returning = !regulars.isEmpty && random.chance(0.25)
            let customer = returning ? customers[random.pick(regulars)] : newCustomer(on: pickChannel())
            var mention = post(intent: intent, by: customer)
            if returning, let last = customer.lastPostID, random.chance(0.4) {
                // Writing again in the thread they started, about something else this time.
                mention.kind = .reply
                mention.inReplyTo = last
            }
            return mention
        }
    }

    /// The customer of `previous` writing again in the same thread, answering `previous`.
    public mutating func followUp(_ reason: DemoFollowUp, to previous: DemoMention) -> DemoMention {
        swap(&random, &followUpRandom)
        defer { swap(&random, &followUpRandom) }
        let number = previous.customer.number
        let customer = customers.indices.contains(number - 1) ? customers[number - 1] : previous.customer
        let templates = DemoPhrasebook.followUps[reason]?[customer.language] ?? ["?"]
        var values = previous.values
        let intent: DemoIntent = switch reason {
        case .thanks: .praise
        case .stillBroken: .complaint
        case .nudge: .question
        }
        let body = decorate(fillRecording(random.pick(templates), language: customer.language, values: &values),
                            intent: intent, language: customer.language)
        return record(DemoMention(
            externalID: nextID(on: customer.channel), customer: customer, text: customer.channel.address + " " + body,
            intent: intent, topic: previous.topic, subject: previous.subject, kind: .reply, inReplyTo: previous.externalID,
            followUp: reason, values: values))
    }

    // MARK: - Posts

    private mutating func post(intent: DemoIntent, by customer: DemoCustomer) -> DemoMention {
        var phrases = DemoPhrasebook.customer.filter { $0.intent == intent && $0.language == customer.language }
        if phrases.isEmpty { phrases = DemoPhrasebook.customer.filter { $0.intent == intent && $0.language == .english } }
        let phrase = random.pick(phrases)
        var values: [String: String] = [:]
        var body = fillRecording(phrase.text, language: customer.language, values: &values)
        if intent != .spam { body = decorate(body, intent: intent, language: customer.language) }
        return record(DemoMention(
            externalID: nextID(on: customer.channel), customer: customer, text: customer.channel.address + " " + body,
            intent: intent, topic: phrase.topic, subject: phrase.subject, kind: .mention, values: values))
    }

    private mutating func outageReport(in burst: DemoBurst) -> DemoMention {
        let channel = burst.channel
        let returning = random.chance(0.2) ? regulars.map { customers[$0] }.filter { $0.channel == channel } : []
        let customer = returning.isEmpty ? newCustomer(on: channel) : random.pick(returning)
        let phrase = random.pick(DemoPhrasebook.outage.filter { $0.language == customer.language })
        var values = ["code": burst.code]
        let body = decorate(fillRecording(phrase.text, language: customer.language, values: &values),
                            intent: phrase.intent, language: customer.language)
        return record(DemoMention(
            externalID: nextID(on: channel), customer: customer, text: channel.address + " " + body,
            intent: phrase.intent, topic: .outage, subject: phrase.subject, kind: .mention, values: values))
    }

    /// A repost of one of the brand's own posts: a retweet on X, a quote elsewhere.
    private mutating func broadcast() -> DemoMention {
        let channel = pickChannel()
        let fans = random.chance(0.5) ? regulars.map { customers[$0] }.filter { $0.channel == channel } : []
        let customer = fans.isEmpty ? newCustomer(on: channel) : random.pick(fans)
        var values: [String: String] = [:]
        let post = fillRecording(random.pick(DemoPhrasebook.brandPosts), language: .english, values: &values)
        let postID = "brand-post-\(channel.platform.rawValue)-\(random.int(1...5))"
        let text: String
        let kind: MentionKind
        if channel.platform == .x {
            (text, kind) = ("RT \(channel.address): \(post)", .retweet)
        } else {
            let comments = DemoPhrasebook.broadcastComments[customer.language] ?? DemoPhrasebook.broadcastComments[.english]!
            (text, kind) = (fillRecording(random.pick(comments), language: customer.language, values: &values), .quote)
        }
        return record(DemoMention(
            externalID: nextID(on: channel), customer: customer, text: text, intent: .broadcast, topic: .other, subject: "other", kind: kind,
            referencedID: postID, referencedAuthor: channel.handle, values: values))
    }

    /// Remembers the post as its author's latest.
    private mutating func record(_ mention: DemoMention) -> DemoMention {
        let index = mention.customer.number - 1
        if customers.indices.contains(index) { customers[index].lastPostID = mention.externalID }
        var mention = mention
        mention.customer.lastPostID = mention.externalID
        return mention
    }

    /// The way this customer types it: an opener, a closer, maybe an emoji.
    private mutating func decorate(_ body: String, intent: DemoIntent, language: DemoLanguage) -> String {
        var text = random.pick(DemoPhrasebook.openers[language] ?? [""]) + body
        text += random.pick(DemoPhrasebook.closers[intent]?[language] ?? [""])
        if random.chance(0.35), let emoji = DemoPhrasebook.emoji[intent] { text += " " + random.pick(emoji) }
        return text
    }

    private mutating func fillRecording(_ template: String, language: DemoLanguage, values: inout [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let slot = String(rest[rest.index(after: open)..<close])
            let value = values[slot] ?? DemoPhrasebook.filler(slot, language: language, random: &random)
            values[slot] = value
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    // MARK: - Customers and ids

    private mutating func pickChannel() -> DemoChannel { Self.channels[random.pick(weighted: Self.channelShares)] }

    static let firstNames: [DemoLanguage: [String]] = [
        .english: ["kim", "dana", "tom", "priya", "omar", "sarah", "leo", "maya", "jake", "nina", "raj", "emma",
                   "chris", "zoe", "ben", "ava", "noah", "ruth", "fin", "grace"],
        .spanish: ["lucia", "mateo", "sofia", "diego", "valeria", "javi", "carmen", "pablo"],
        .japanese: ["yuki", "haruto", "aoi", "ren", "sakura", "kenta", "mio", "sota"],
    ]
    static let japaneseNames = ["yuki": "佐藤ゆき", "haruto": "高橋陽翔", "aoi": "田中葵", "ren": "伊藤蓮", "sakura": "山本さくら",
                                "kenta": "中村健太", "mio": "小林美緒", "sota": "加藤蒼太"]
    static let instances = ["mastodon.social", "fosstodon.org", "hachyderm.io", "mstdn.jp", "mas.to"]

    private mutating func newCustomer(on channel: DemoChannel, scammer: Bool = false) -> DemoCustomer {
        let language = scammer ? (random.chance(0.8) ? .english : random.pick([DemoLanguage.spanish, .japanese]))
            : random.pick(weighted: Self.languageMix)
        var handle: String
        var name: String
        repeat {
            if scammer {
                let base = random.pick(["support", "help", "refund", "crypto", "giveaway", "recovery"])
                handle = "\(base)_\(random.pick(["desk", "team", "pro", "official"]))\(random.int(10...9999))"
                name = "\(base.capitalized) \(random.pick(["Desk", "Team", "Official"]))"
            } else {
                let first = random.pick(Self.firstNames[language]!)
                let letter = random.pick(["a", "b", "c", "d", "e", "f", "g", "h", "k", "l", "m", "n", "o", "p", "r", "s", "t", "w"])
                handle = switch random.int(0...2) {
                case 0: "\(first)_\(letter)"
                case 1: "\(first)\(random.int(1...99))"
                default: "\(first).\(letter)\(random.int(1...9))"
                }
                name = language == .japanese ? Self.japaneseNames[first] ?? first.capitalized
                    : "\(first.capitalized) \(letter.uppercased())."
            }
            switch channel.platform {
            case .mastodon: handle = handle.replacingOccurrences(of: ".", with: "_") + "@" + random.pick(Self.instances)
            case .bluesky: handle = handle.replacingOccurrences(of: ".", with: "-") + ".bsky.social"
            default: handle = handle.replacingOccurrences(of: ".", with: "_")
            }
        } while handles.contains(handle)
        handles.insert(handle)
        let customer = DemoCustomer(
            number: customers.count + 1, channel: channel, handle: handle, name: name, language: language, isScammer: scammer)
        if !scammer { regulars.append(customers.count) }
        customers.append(customer)
        return customer
    }

    private mutating func nextID(on channel: DemoChannel) -> String {
        serial += 1
        let salt = random.int(0...4095)
        switch channel.platform {
        case .bluesky:
            return "at://did:plc:acmedemo/app.bsky.feed.post/3l\(String(serial * 4096 + salt, radix: 32))"
        case .mastodon:
            return String(113_000_000_000_000_000 + serial * 4096 + salt)
        default:
            return String(1_860_000_000_000_000_000 + serial * 4096 + salt)
        }
    }

    // MARK: - Bursts

    private mutating func planBursts(through time: Double) {
        while burstsPlannedUntil <= time + Self.burstLength.upperBound {
            let start = burstsPlannedUntil + random.exponential(mean: Self.meanBurstGap)
            let end = start + random.uniform(Self.burstLength)
            bursts.append(DemoBurst(start: start, end: end, channel: pickChannel()))
            burstsPlannedUntil = end
            if bursts.count > 64 { bursts.removeFirst(bursts.count - 64) }
        }
    }
}
