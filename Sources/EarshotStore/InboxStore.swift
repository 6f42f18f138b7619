import EarshotCore

/// The persistence seam. The SQLite implementation is the default; a PostgreSQL one can
/// implement the same protocols for several boxes sharing one database.
///
/// All reads and writes happen inside a closure that runs as one transaction. A writer
/// method that changes state always takes the `EventDraft` that describes the change and
/// writes it to the event log in that same transaction, so the log and the state can never
/// disagree: if the closure throws, neither is kept.
public protocol InboxStore: Sendable {
    /// Runs `body` in one write transaction; commits when it returns, rolls back when it throws.
    func write<T>(_ body: (any InboxWriter) throws -> T) throws -> T
    /// Runs `body` against a consistent snapshot.
    func read<T>(_ body: (any InboxReader) throws -> T) throws -> T
    /// Signalled after each committed `write` of this process (and, on PostgreSQL, of every
    /// daemon sharing the database).
    var commits: CommitSignal { get }

    /// This process's name among the processes sharing the database.
    var instance: String { get }
    /// Whether the process `instance` names still has the database open. On SQLite, which one
    /// daemon serves, only this process counts as running.
    func isRunning(_ instance: String) throws -> Bool
    /// Holds `name` (a live account's polling, the clock) among all daemons sharing the
    /// database, or nil while another holds it. Held until released or this process ends.
    func tryLease(_ name: String) throws -> StoreLease?

    /// Sends a short note (under 8000 bytes) to every process listening on the database
    /// (presence crosses daemons so); nothing on SQLite, which one daemon serves.
    func broadcast(_ note: String) throws
    /// `handler` hears each note broadcast by any process sharing the database, this one's too.
    func onBroadcast(_ handler: @escaping @Sendable (String) -> Void)
}

/// A name held by one process among those sharing a database.
public final class StoreLease: Sendable {
    public let name: String
    private let check: @Sendable () -> Bool
    private let releaser: @Sendable () -> Void

    public init(name: String, isHeld: @escaping @Sendable () -> Bool, release: @escaping @Sendable () -> Void) {
        self.name = name
        check = isHeld
        releaser = release
    }

    /// False once released, or once the connection that held it was lost.
    public var isHeld: Bool { check() }
    public func release() { releaser() }
}

/// Queries. Every list is a window (`limit`) served by an index; nothing loads a whole table.
public protocol InboxReader {
    func channel(_ id: ChannelID) throws -> Channel?
    func channel(platform: Platform, handle: String) throws -> Channel?
    func channels() throws -> [Channel]

    func customer(_ id: CustomerID) throws -> Customer?
    func customer(platform: Platform, handle: String) throws -> Customer?

    func mention(_ id: MentionID) throws -> Mention?
    func mention(platform: Platform, externalID: String) throws -> Mention?
    /// Where a stored mention belongs, without reading its text (threading asks this per reply).
    func mentionLink(platform: Platform, externalID: String) throws -> MentionLink?
    /// Whether a mention is stored, without reading it (the ingest hot path asks this per record).
    func mentionExists(platform: Platform, externalID: String) throws -> Bool
    /// Where a live account's reading stopped (an opaque platform cursor), nil before its first read.
    func accountCursor(_ account: String) throws -> String?
    /// The channel ("platform:handle") each live account that has read is for, by account name.
    func accountChannels() throws -> [String: String]
    /// Whether any stored mention answers `externalID`.
    func hasReplies(platform: Platform, to externalID: String) throws -> Bool
    func mentions(in conversation: ConversationID) throws -> [Mention]
    /// Stored mentions that answer `externalID` (children that arrived before their parent).
    func mentions(platform: Platform, replyingTo externalID: String) throws -> [Mention]
    /// The time of the earliest customer message of `cycle` after `time`, if any.
    func earliestMessageTime(in conversation: ConversationID, cycle: Int, after time: Timestamp) throws -> Timestamp?
    /// The latest mention by `customer` in the platform's thread `platformConversationID`.
    func latestMention(platform: Platform, inThread platformConversationID: String, by customer: CustomerID) throws -> Mention?

    func conversation(_ id: ConversationID) throws -> Conversation?
    /// One window of a queue view, in the view's order: at most `limit` rows from `start`,
    /// narrowed in SQL. Served from the view's index range; the view is never read whole.
    func queue(_ view: QueueView, from start: QueueStart, narrowedBy narrowing: QueueNarrowing, limit: Int) throws -> [Conversation]
    /// How many conversations a responder carries (open or pending), from the `mine` index range.
    func countOpen(assignedTo responder: ResponderID) throws -> Int
    /// How many open routable conversations are past their SLA due time at `now` (the breached view).
    func countBreached(at now: Timestamp) throws -> Int

    /// Conversations each responder carries now (status open or pending), for capacity.
    func openLoads() throws -> [ResponderID: Int]
    /// Who last handled this customer: the assignee of their latest other conversation.
    func lastHandler(of customer: CustomerID, excluding conversation: ConversationID) throws -> ResponderID?
    /// A responder's unresolved conversations (open, pending or snoozed).
    func assignedConversations(to responder: ResponderID) throws -> [Conversation]
    /// Open assigned conversations nobody has touched since `before` (by touch, else assignment time).
    func untouchedAssignments(before: Timestamp, limit: Int) throws -> [Conversation]

    func responder(_ id: ResponderID) throws -> Responder?
    func responder(login: String) throws -> Responder?
    func responders(includingRemoved: Bool) throws -> [Responder]

    func reply(_ id: ReplyID) throws -> Reply?
    func replies(in conversation: ConversationID) throws -> [Reply]
    /// The author's unsent draft in a conversation, if any.
    func draft(in conversation: ConversationID, by author: ResponderID) throws -> Reply?
    /// A reply already posted on a platform, by the platform's id for it.
    func reply(platform: Platform, platformID: String) throws -> Reply?
    func notes(in conversation: ConversationID) throws -> [Note]
    /// Queued replies whose next attempt is due at `now` and that no delivery is running for, oldest first.
    func dueReplies(at now: Timestamp, limit: Int) throws -> [Reply]
    /// Queued replies a delivery was running for (found after a restart).
    func repliesInDelivery() throws -> [Reply]
    /// When the earliest queued reply becomes due, if any is waiting.
    func nextDeliveryTime() throws -> Timestamp?
    /// Queued and failed replies, the author's own or (nil) everyone's, newest first.
    func unsentReplies(by author: ResponderID?, limit: Int) throws -> [Reply]
    /// Events of a conversation after `time`, oldest first (what changed since a draft began).
    func events(for conversation: ConversationID, after time: Timestamp) throws -> [Event]

    func events(for conversation: ConversationID) throws -> [Event]
    /// Events with an id greater than `after`, oldest first: the log read as a stream.
    func events(after: EventID?, limit: Int) throws -> [Event]

    func counts() throws -> StoreCounts

    /// The newest event's id, or nil when the log is empty: where a stream of the log begins.
    func latestEventID() throws -> EventID?

    /// A customer's conversations other than `excluding`, newest first.
    func conversations(of customer: CustomerID, excluding: ConversationID, limit: Int) throws -> [Conversation]
    /// How many internal notes a conversation has.
    func noteCount(in conversation: ConversationID) throws -> Int

    /// Every conversation's latency timeline from the event log (docs/metrics.md), streamed.
    func forEachTimeline(_ body: (ConversationID, [TimelineEntry]) throws -> Void) throws
    /// Channel and priority of every conversation, by id.
    func conversationFacts() throws -> ConversationFactsTable
    /// The `wait_fact` rows whose time is in [from, to) (nil: unbounded), in time order; with
    /// `responders` false, every fact's responder is nil (not read).
    func forEachWaitFact(from: Int64?, to: Int64?, responders: Bool, _ body: (WaitFact) throws -> Void) throws
    /// The times of the earliest and the latest wait fact (nil: none).
    func waitFactTimes() throws -> ClosedRange<Int64>?
    /// Whether some conversation's wait facts are not yet recomputed after a change.
    func hasStaleWaitFacts() throws -> Bool
    /// How many open routable conversations nobody owns.
    func countUnassigned() throws -> Int
    /// How many conversations wait for an answer now, and the oldest wait's start.
    func waitingSummary() throws -> (count: Int, oldest: Timestamp?)
    /// Customer messages and sent replies per hour since `since` (hour start in ms → count), for
    /// the supervisor's chart. Scans the two tables' recent rows; asked every few seconds at most.
    func hourlyTraffic(since: Timestamp) throws -> (arrivals: [Int64: Int], replies: [Int64: Int])
    /// How often people corrected the classifier since `since`, per (from, to) class pair.
    func triageOverrides(since: Timestamp) throws -> [TriageOverrideCount]
    /// What the staffing forecast learns from the history in [from, to) (docs/forecast.md):
    /// arrivals over all of it, the handling time over [handlingFrom, to) only.
    func forecastHistory(from: Timestamp, to: Timestamp, handlingFrom: Timestamp) throws -> ForecastHistory

    // Waves (docs/waves.md), the same SQL on both stores (WaveTables.swift).
    func wave(_ id: Int64) throws -> Wave?
    /// Waves not yet answered, oldest first: the ones new messages can join.
    func activeWaves() throws -> [Wave]
    /// Every wave with members (or only wave `only`), as the queue shows it, the longest-waiting first.
    func waveSummaries(only wave: Int64?) throws -> [WaveSummary]
    /// The wave's conversations still in it.
    func waveMembers(_ wave: Int64) throws -> [WaveMember]
    /// The conversation's wave, if it is or was in one (`leftAt` says it left).
    func waveMember(of conversation: ConversationID) throws -> WaveMember?
    /// The last mention id the detector has read.
    func waveProgress() throws -> Int64
    /// Customer messages (mentions and replies, not reposts) after a mention id, in id order.
    func customerMessages(afterMention last: Int64, limit: Int) throws -> [WaveMessage]
}

/// The team's history as the staffing forecast reads it: one scan of the conversations and
/// one of the replies, however long the history.
public struct ForecastHistory: Sendable, Equatable {
    /// Conversations opened per hour (hour start in ms → count).
    public var arrivals: [Int64: Int]
    /// For each conversation whose last reply falls in the range and that was held when it was
    /// answered: milliseconds from its (last) assignment to the first reply sent after it: one
    /// reply's work (the forecast multiplies it by the replies a conversation takes).
    public var claimToReply: [Int64]
    /// Conversations whose last reply falls in the range.
    public var conversationsReplied: Int
    /// Replies sent in the range.
    public var repliesSent: Int

    public init(arrivals: [Int64: Int], claimToReply: [Int64], conversationsReplied: Int, repliesSent: Int) {
        self.arrivals = arrivals
        self.claimToReply = claimToReply
        self.conversationsReplied = conversationsReplied
        self.repliesSent = repliesSent
    }
}

extension InboxReader {
    /// Every wave with members.
    public func waveSummaries() throws -> [WaveSummary] { try waveSummaries(only: nil) }

    /// The forecast's history with the handling time read over all of it.
    public func forecastHistory(from: Timestamp, to: Timestamp) throws -> ForecastHistory {
        try forecastHistory(from: from, to: to, handlingFrom: from)
    }

    /// One window of a queue view, in the view's order, starting after `cursor`.
    public func queue(_ view: QueueView, after cursor: QueueCursor?, limit: Int) throws -> [Conversation] {
        try queue(view, from: cursor.map(QueueStart.after) ?? .first, narrowedBy: .none, limit: limit)
    }
}

/// Changes. Each method that changes state records its event in the same transaction.
public protocol InboxWriter: InboxReader {
    // Waves (docs/waves.md): derived from the messages, so written without events.
    func insertWave(name: String, topic: String, state: Wave.State, at: Timestamp, openedBy: String?) throws -> Wave
    func updateWave(_ wave: Wave) throws
    func putWaveMember(_ member: WaveMember) throws
    /// Marks the conversation as out of its wave.
    func leaveWave(_ conversation: ConversationID, at time: Timestamp) throws
    func mergeWave(_ from: Int64, into: Int64) throws
    func setWaveProgress(_ mention: Int64) throws

    func insertChannel(platform: Platform, handle: String, displayName: String, because event: EventDraft) throws -> Channel
    func insertCustomer(platform: Platform, handle: String, displayName: String, firstSeen: Timestamp, because event: EventDraft) throws -> Customer
    func updateCustomer(_ customer: Customer, because event: EventDraft) throws

    /// Inserts a mention unless one with the same (platform, external id) exists.
    /// A duplicate writes nothing, not even its event.
    func insertMention(_ mention: NewMention, because event: EventDraft) throws -> MentionInsertOutcome

    func insertConversation(_ conversation: NewConversation, because event: EventDraft) throws -> Conversation
    /// Starts a conversation with its first mention, recorded as one `opened` event naming the
    /// mention. `mention.conversationID` is ignored. Throws `StoreError.conflict` when the
    /// mention is already stored (callers check first, in the same transaction).
    func openConversation(_ conversation: NewConversation, with mention: NewMention, because event: EventDraft) throws -> (Conversation, Mention)
    /// Adds a customer message to an existing conversation and saves the conversation's new
    /// state (given by the caller: status, waiting time, preview...), as one `ingested` event.
    /// Returns nil, writing nothing, when the mention is already stored.
    func addMention(_ mention: NewMention, to conversation: Conversation, because event: EventDraft) throws -> Mention?
    /// Moves every mention and reply of `source` into `target` (a parent arrived after its replies).
    func moveMessages(from source: ConversationID, to target: ConversationID, because event: EventDraft) throws
    /// Saves the conversation's row. Labels are not touched: use `setLabels`.
    func updateConversation(_ conversation: Conversation, because event: EventDraft) throws
    /// Replaces the conversation's labels (normalised: unique, sorted).
    func setLabels(_ labels: [String], on conversation: ConversationID, because event: EventDraft) throws

    func insertResponder(_ responder: NewResponder, because event: EventDraft) throws -> Responder
    func updateResponder(_ responder: Responder, because event: EventDraft) throws

    func insertReply(_ reply: NewReply, because event: EventDraft) throws -> Reply
    /// Stores a brand post; false when one with its platform id is stored already.
    func insertBrandPost(_ post: NewBrandPost, because event: EventDraft) throws -> Bool
    /// Forgets a brand post that turned out to be a reply in a stored thread (the reply is stored instead).
    func removeBrandPost(platform: Platform, platformID: String) throws
    /// Notes that `responder` corrected the class (bookkeeping beside the `triaged` event).
    func noteTriageOverride(of conversation: ConversationID, by responder: ResponderID, from: TriageClass, to: TriageClass, at: Timestamp) throws
    func updateReply(_ reply: Reply, because event: EventDraft) throws
    /// Moves a live account's cursor; called in the transaction that stores what it covers.
    /// `channel` ("platform:handle") names the channel the account reads and posts for.
    func setAccountCursor(_ account: String, to cursor: String, channel: String?, at time: Timestamp) throws

    func insertNote(conversation: ConversationID, author: ResponderID, text: String, at: Timestamp, because event: EventDraft) throws -> Note

    /// Bookkeeping caches of facts the event log already holds (the assignment event, the
    /// note or reply event, the client's activity); written without an event of their own.
    func noteAssignment(to responder: ResponderID, at time: Timestamp) throws
    func noteTouch(of conversation: ConversationID, at time: Timestamp) throws
    func noteActivity(of responder: ResponderID, at time: Timestamp) throws

    /// Records an event that has no row of its own to change (e.g. a routing run that found nothing).
    @discardableResult
    func appendEvent(_ event: EventDraft) throws -> Event

    /// Recomputes the wait facts of a batch of changed conversations (about `limit`); whether
    /// more may be waiting.
    func refreshWaitFacts(limit: Int) throws -> Bool
}

/// The ids that place a stored mention: enough to thread a reply to it.
public struct MentionLink: Equatable, Sendable {
    public var id: MentionID
    public var conversationID: ConversationID
    public var customerID: CustomerID
    public var channelID: ChannelID

    public init(id: MentionID, conversationID: ConversationID, customerID: CustomerID, channelID: ChannelID) {
        self.id = id
        self.conversationID = conversationID
        self.customerID = customerID
        self.channelID = channelID
    }
}

/// What happened to a mention handed to `insertMention`.
public enum MentionInsertOutcome: Equatable, Sendable {
    case inserted(Mention)
    /// Already stored under this (platform, external id); nothing was written.
    case duplicate(existing: MentionID)

    public var wasInserted: Bool {
        if case .inserted = self { return true }
        return false
    }
}

/// Row counts per table, for `earshot db check` and tests.
public struct StoreCounts: Equatable, Sendable, Codable {
    public var channels = 0
    public var customers = 0
    public var mentions = 0
    public var conversations = 0
    public var responders = 0
    public var replies = 0
    public var notes = 0
    public var brandPosts = 0
    public var events = 0

    public init() {}
}
