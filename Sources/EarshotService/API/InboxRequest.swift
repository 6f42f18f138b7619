import EarshotCore

/// One operation a client can ask of the inbox: its name on the wire, its typed parameters
/// (the value itself, encoded as the request's `params`), its typed answer, and how the service
/// performs it. The local client calls `handle` directly; the remote client sends the same value
/// to the daemon, which decodes it by `method` and calls the same `handle` (docs/protocol.md).
///
/// Adding an operation is one conforming type (in the `Inbox` namespace) and one line in
/// `Inbox.requests`.
public protocol InboxRequest: Codable, Sendable {
    associatedtype Response: Codable & Sendable
    /// The request's `method` on the wire.
    static var method: String { get }
    /// Performs the request as `context.login`. Every check (who may do what) is the service's.
    func handle(in context: RequestContext) throws -> Response
    /// After an answer the daemon cut to fit one message (`"partial": true`), the request for
    /// the rest; nil takes the cut answer as it is (the caller pages on its own).
    func remainder(after partial: Response) -> Self?
    /// A cut answer and the rest of it, as one answer.
    func joining(_ first: Response, _ rest: Response) -> Response
}

extension InboxRequest {
    public func remainder(after partial: Response) -> Self? { nil }
    public func joining(_ first: Response, _ rest: Response) -> Response { rest }
}

/// Who asks, and what only the daemon knows about the asking connection.
public struct RequestContext: Sendable {
    public let service: InboxService
    public let login: String
    /// Who else is in a conversation, the asking connection left out. Nobody, in-process.
    var othersPresent: @Sendable (ConversationID) -> [PresenceEntry] = { _ in [] }
    /// Everyone in a conversation.
    var everyonePresent: @Sendable (ConversationID) -> [PresenceEntry] = { _ in [] }
    /// Records where the asking connection is now (nil: nowhere). In-process nobody else
    /// shares the service, so there is nobody to tell.
    var place: @Sendable (ConversationID?, PresenceState) -> Void = { _, _ in }
    /// Tells the deliverer to look at the outbox (a reply was queued or retried).
    var outboxChanged: @Sendable () -> Void = {}

    public init(service: InboxService, login: String) {
        self.service = service
        self.login = login
    }
}

/// An answer with nothing to say but that it was done: `{"ok": true}`.
public struct Done: Codable, Sendable, Equatable {
    public var ok = true
    public init() {}
}
