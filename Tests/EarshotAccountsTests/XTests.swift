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
final class XFixture: LiveInbox {
    let platform = Platform.x
    let accountName = "acme-x"
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
        (store, service) = try Self.inbox(at: directory.file("inbox.sqlite"))
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
    func run(_ body: @Sendable (XAccount) async throws -> Void) async throws {
        let (settings, logged, deliverer) = (settings, logged, deliverer)
        try await runLive({ http in
            XAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) { account, channel in
                deliverer.register(account, platform: .x, channel: channel)
            }
        }, body)
    }
}

@Suite(.serialized) struct XTests {
    @Test func aBacklogOfThreePagesIsFollowedToTheEndBeforeSinceIDMoves() async throws {
        let fixture = try XFixture()
        let first = fixture.stub.mention(from: "kim", text: "@AcmeSupport hello?")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.cursor() == first })
            var expected = [first]
            for index in 1...250 { expected.append(fixture.stub.mention(from: "c\(index)", text: "@AcmeSupport order \(index) is late")) }
            // While the poll pages back through those, more customers write.
            let stub = fixture.stub
            let late = LogLines()
            stub.afterEachPage {
                if late.all.count < 3 { late.append(stub.mention(from: "late\(late.all.count)", text: "@AcmeSupport me too")) }
            }
            #expect(try await fixture.eventually(40) { try fixture.mentionRows().count == 251 + late.all.count && late.all.count == 3 })
            let rows = try fixture.mentionRows()
            #expect(rows.count == Set(rows).count && Set(rows) == Set(expected + late.all), "none lost or doubled")
            #expect(try fixture.cursor() == late.all.last, "since_id is the newest mention read")
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

    @Test func aPostIsRecognisedAsXGivesItBack() {
        // X shortens links (t.co) and escapes &, < and > in the text it returns.
        #expect(XAccount.comparable("@kim it's here & more: https://acme.example/track?id=1 ^DA")
            == XAccount.comparable("@kim it's here &amp; more: https://t.co/AbCdEf123 ^DA"))
        #expect(XAccount.comparable("@kim hello ^DA") != XAccount.comparable("@kim hello again ^DA"))
    }

    @Test func xWeighsCJKTwiceAndALink23() {
        #expect(XWeightedLength.measure("hello") == 5)
        #expect(XWeightedLength.measure("注文") == 4)
        #expect(XWeightedLength.measure("see https://acme.example/a/very/long/path/indeed") == 4 + 23)
        #expect(XWeightedLength.measure(String(repeating: "注", count: 140)) == 280)
        #expect(XWeightedLength.measure("@kim " + String(repeating: "注", count: 140)) == 285)
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
