// The live platform accounts this daemon reads and posts for.

extension Inbox {
    public struct ListAccounts: InboxRequest {
        public static let method = "account.list"
        public init() {}
        public func handle(in context: RequestContext) throws -> [AccountStatus] { context.service.accounts.all() }
    }
}
