import EarshotCore
import Foundation

extension Event {
    /// An event as the daemon pushes it (`DaemonServer.describe`: id, kind, actor, at, detail,
    /// conversation); nil when it is not one.
    public init?(pushed object: [String: Any]) {
        guard let id = (object["id"] as? NSNumber)?.int64Value,
              let kind = (object["kind"] as? String).flatMap(EventKind.init(rawValue:)),
              let actor = (object["actor"] as? String).flatMap(Actor.init(stored:)),
              let at = (object["at"] as? String).flatMap({ TimestampParsing.iso8601($0)?.0 })
        else { return nil }
        let detail = (object["detail"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        self.init(
            id: EventID(id), at: at, kind: kind, actor: actor,
            conversationID: (object["conversation"] as? NSNumber).map { ConversationID($0.int64Value) }, detail: detail)
    }
}
