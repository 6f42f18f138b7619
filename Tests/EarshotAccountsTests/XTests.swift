@testable import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing

/// A real inbox with one live X account pointed at an X API stub on 127.0.0.1.
final class XFixture: Sendable {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let service: InboxService
    let stub = XStub()
    let settings: AccountSettings
    let deliverer: OutboxDeliverer
    let logged = LogLines()
    let requestTimeout: Int64

    init(oauth1: Bool = false, budget: Int? = nil, requestTimeout: Int64 = 5) throws {
        self.requestTimeout = requestTimeout
        directory = try TemporaryDirectory("earshot-x")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        var service = InboxService(store: store, clock: SystemClock())
        service.policy.routing = .manual
        service.delivery.undoSeconds = 0
        service.delivery.retryBaseSeconds = 1
        try service.addResponder(
            NewResponder(login: "dana", displayName: "Dana", initials: "DA", role: .supervisor, availability: .available, capacity: 50),
            by: "admin")
        self.service = service
        let base = try stub.start()
        let file = directory.file("acme-x.json")
        try (oauth1 ? stub.oauth1Credentials : stub.oauth2Credentials).write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        var settings = AccountSettings(name: "acme-x", platform: .x, url: base, tokenFile: file)
        settings.streaming = false
        settings.pollSeconds = 5
        settings.monthlyReadBudget = budget
        settings.stateDirectory = directory.path
        self.settings = settings
        let logged = logged
        deliverer = OutboxDeliverer(service: service) { line in logged.append(line) }
    }

    deinit { stub.stop() }

    var log: [String] { logged.all }
    var status: AccountStatus? { service.accounts.all().first }

    func run(_ body: @Sendable (XAccount) async throws -> Void) async throws {
        try await withTaskExecutorPreference(AccountExecutor.shared) {
            let http = PlatformHTTP(requestTimeout: .seconds(requestTimeout), streamSilence: .seconds(3))
            let logged = logged
            let deliverer = deliverer
            let account = XAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) {
                account, channel in deliverer.register(account, platform: .x, channel: channel)
            }
            deliverer.start()
            let group = ServiceGroup(services: [account], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    try await body(account)
                } catch {
                    await group.triggerGracefulShutdown()
                    await deliverer.stopAndWait()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await deliverer.stopAndWait()
            await http.shutdown()
        }
    }

    func eventually(_ seconds: Double = 15, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    func mentionRows() throws -> [String] {
        try DatabaseQueue(path: store.path).read { db in try String.fetchAll(db, sql: "SELECT external_id FROM mention ORDER BY id") }
    }

    func cursor() throws -> String? { try store.read { try $0.accountCursor("acme-x") } }

    func reply(to id: String, _ text: String) async throws -> Reply {
        #expect(try await eventually { try mentionRows().contains(id) })
        let mention = try #require(try store.read { try $0.mention(platform: .x, externalID: id) })
        _ = try service.claim(mention.conversationID, by: "dana")
        return try service.sendReply(mention.conversationID, text: text, basedOn: nil, confirmed: true, by: "dana")
    }

    func reply(_ id: ReplyID) throws -> Reply { try service.reply(id, by: "dana") }
}

@Suite(.serialized) struct XTests {
    @Test func aBacklogOfThreePagesIsFollowedToTheEndBeforeSinceIDMoves() async throws {
        let fixture = try XFixture()
        let first = fixture.stub.mention(from: "kim", text: "@AcmeSupport hello?")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.cursor() == first })
            var expected = [first]
            for index in 1...250 { expected.append(fixture.stub.mention(from: "c\(index)", text: "@AcmeSupport order \(index) is late")) }
            #expect(try await fixture.eventually(30) { try fixture.mentionRows().count == 251 })
            let rows = try fixture.mentionRows()
            #expect(rows.count == Set(rows).count && Set(rows) == Set(expected), "none lost or doubled")
            #expect(try fixture.cursor() == expected.last, "since_id is the first page's newest_id")
            let pages = fixture.stub.requests.filter { $0.target.contains("/mentions?") && $0.target.contains("since_id=\(first)") }
            #expect(pages.count >= 3 && pages.dropFirst().allSatisfy { $0.target.contains("pagination_token=") })
        }
    }

    @Test func anExpiredOAuth2TokenIsRenewedOnceAndKeptForTheNextRun() async throws {
        let fixture = try XFixture()
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .polling })
            fixture.stub.expireAccessTokens()
            let id = fixture.stub.mention(from: "kim", text: "@AcmeSupport where is it?")
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [id] })
        }
        #expect(fixture.stub.refreshes == 1)
        let kept = fixture.directory.file("acme-x.x-token.json")
        var info = stat()
        #expect(stat(kept, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: kept, encoding: .utf8).contains("x-refresh-2"), "the rotated refresh token is kept")
    }

    @Test func oauth1RequestsAreSignedAsXChecksThem() async throws {
        let fixture = try XFixture(oauth1: true)
        let id = fixture.stub.mention(from: "kim", text: "@AcmeSupport hi")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.mentionRows() == [id] })
            let reply = try await fixture.reply(to: id, "hello")
            #expect(try await fixture.eventually { try fixture.reply(reply.id).state == .sent })
        }
        #expect(fixture.status?.lastError == nil, "no request was refused: \(fixture.log)")
    }

    @Test func aReplyIsThreadedAndADuplicate403AfterARetryIsFoundNotPostedTwice() async throws {
        let fixture = try XFixture(requestTimeout: 1)
        let asked = fixture.stub.mention(from: "kim", text: "@AcmeSupport where is my order?")
        fixture.stub.holdPostAnswers(2)
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "it ships today")
            #expect(try await fixture.eventually { !fixture.stub.posted.isEmpty })
            fixture.stub.holdPostAnswers(0)
            #expect(try await fixture.eventually(20) { try fixture.reply(reply.id).state == .sent })
            let posts = fixture.stub.posted
            #expect(posts.filter { !$0.refused }.count == 1, "one post on X")
            #expect(posts.count == 2 && posts[1].refused, "the retry met X's duplicate-content 403")
            #expect(posts.allSatisfy { $0.inReplyTo == asked && $0.text == "@kim it ships today ^DA" })
            let sent = try fixture.reply(reply.id)
            #expect(sent.platformID == posts[0].id && sent.platformURL == "https://x.com/AcmeSupport/status/\(posts[0].id ?? "")")
        }
    }

    @Test func aRateLimitWaitsForItsEpochReset() async throws {
        let fixture = try XFixture()
        fixture.stub.mention(from: "kim", text: "@AcmeSupport hi")
        fixture.stub.limitRate(after: 1, resetAfter: 2)
        let reset = Date().addingTimeInterval(2)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually(20) { try fixture.mentionRows().count == 1 })
        }
        #expect(fixture.stub.requests.dropFirst(1).allSatisfy { $0.at >= reset.addingTimeInterval(-1) })
    }

    @Test func theMonthlyReadBudgetStopsReadingAndShows() async throws {
        let fixture = try XFixture(budget: 3)
        for index in 1...5 { fixture.stub.mention(from: "c\(index)", text: "@AcmeSupport hi \(index)") }
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.mentionRows().count == 5 })
            #expect(try await fixture.eventually { fixture.status?.state == .backingOff })
        }
        #expect(fixture.status?.budget == "5 of 3 posts read this month")
        #expect(fixture.status?.lastError?.hasPrefix("the monthly read budget is spent") == true)
    }
}
