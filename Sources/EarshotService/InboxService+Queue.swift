import EarshotCore
import EarshotStore

/// Queue views by name, as the CLI and the protocol ask for them.
extension InboxService {
    /// The top window of a view; `mine` is the caller's, `resolved` is since the start of today (UTC).
    public func queue(_ view: QueueViewName, limit: Int, for login: String) throws -> [QueueRow] {
        try queueWindow(QueueWindowRequest(view: view, limit: limit), for: login)
    }
}
