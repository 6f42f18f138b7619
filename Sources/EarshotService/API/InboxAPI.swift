import EarshotCore

/// A client of the inbox: sends a request, gets its typed answer or an `InboxError`. The same
/// whether the service runs in this process (`LocalInbox`, single-user mode) or in the daemon
/// (`RemoteInbox`). Identity is not a parameter: in-process it is this process's user, in the
/// daemon the socket peer's.
public protocol InboxAPI: Sendable {
    func send<Request: InboxRequest>(_ request: Request) throws(InboxError) -> Request.Response
}

/// The service acting as one login, in this process: the request's handler, called directly.
public struct LocalInbox: InboxAPI {
    public let service: InboxService
    public let login: String

    public init(service: InboxService, login: String) {
        self.service = service
        self.login = login
    }

    public func send<Request: InboxRequest>(_ request: Request) throws(InboxError) -> Request.Response {
        do {
            return try request.handle(in: RequestContext(service: service, login: login))
        } catch {
            throw InboxError(handling: error)
        }
    }
}
