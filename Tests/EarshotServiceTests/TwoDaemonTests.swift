import EarshotCore
@testable import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Synchronization
import Testing

/// Two daemons, each with its own store (its own connections, its own commit listener), on
/// their own sockets, sharing one PostgreSQL database: one owner per conversation whichever
/// daemon the claims come through, and a change made through one reaches the other's clients.
@Suite(.serialized, .enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"))
struct TwoDaemonTests {
    let fixture: ServiceFixture
    let location: PostgresLocation
    let a: InboxService
    let b: InboxService

    init() throws {
        location = try TestPostgres.freshDatabase("two")
        fixture = try ServiceFixture(store: PostgresInboxStore(location: location)) { $0.routing = .manual }
        a = fixture.service
        b = InboxService(store: try PostgresInboxStore(location: location), clock: fixture.clock, policy: fixture.service.policy)
    }

    /// Both daemons on sockets of their own, with this test's Unix user as a supervisor.
    func startDaemons() throws -> (DaemonServer, DaemonServer, String) {
        let serverA = DaemonServer(service: a, socketPath: fixture.directory.file("a.sock"), log: { _ in })
        let serverB = DaemonServer(service: b, socketPath: fixture.directory.file("b.sock"), log: { _ in })
        let me = try #require(loginName(of: geteuid()))
        try fixture.responder(me, role: .supervisor, capacity: 100)
        try serverA.start()
        try serverB.start()
        return (serverA, serverB, me)
    }

    @Test func twoHundredConcurrentClaimsThroughBothGiveOneOwnerEach() throws {
        let logins = (1...10).map { "agent\($0)" }
        for login in logins { try fixture.responder(login, capacity: 100) }
        let conversations = try (0..<20).map { _ in try fixture.conversation() }
        let won = Mutex<[ConversationID: [String]]>([:])
        let refused = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let (a, b) = (a, b)
        // 200 claims: every agent claims every conversation, half through each daemon.
        for (index, login) in logins.enumerated() {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                for (offset, id) in conversations.enumerated() {
                    let service = (index + offset) % 2 == 0 ? a : b
                    do {
                        _ = try service.claim(id, by: login)
                        won.withLock { $0[id, default: []].append(login) }
                    } catch let error as ServiceError {
                        if case .alreadyClaimed = error { refused.add(1, ordering: .relaxed) } else { failures.withLock { $0.append("\(error)") } }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                done.leave()
            }
        }
        for _ in logins { start.signal() }
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let winners = won.withLock { $0 }
        #expect(winners.count == 20 && winners.values.allSatisfy { $0.count == 1 }, "\(winners)")
        #expect(refused.load(ordering: .relaxed) == 180)
        for id in conversations {
            let owner = try #require(try b.store.read { try $0.conversation(id) }?.assigneeID)
            let login = try b.store.read { try $0.responder(owner)?.login }
            #expect(winners[id] == [login ?? "?"])
            #expect(try a.store.read { try $0.events(for: id) }.filter { $0.kind == .claimed }.count == 1)
        }
    }

    /// The same race through the daemons' sockets: 200 claims of 20 conversations from ten
    /// connections, five to each daemon, all at once. The daemon knows a client by its Unix
    /// user (one here), so every claim is the same person's: each conversation is claimed once
    /// (one `claimed` event), and the other 180 find it already theirs.
    @Test func twoHundredClaimsThroughBothSocketsClaimEachConversationOnce() throws {
        let (serverA, serverB, me) = try startDaemons()
        defer { serverA.stop(); serverB.stop() }
        let conversations = try (0..<20).map { _ in try fixture.conversation() }
        let clients = try (0..<10).map { RemoteInbox(connection: try DaemonConnection(path: ($0 % 2 == 0 ? serverA : serverB).socketPath)) }
        let failures = Mutex<[String]>([])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for (index, client) in clients.enumerated() {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                for offset in 0..<conversations.count {
                    let id = conversations[(offset + index * 2) % conversations.count]
                    do { _ = try client.send(Inbox.Claim(id)) } catch { failures.withLock { $0.append("\(error)") } }
                }
                done.leave()
            }
        }
        for _ in clients { start.signal() }
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        for id in conversations {
            #expect(try b.store.read { try $0.events(for: id) }.filter { $0.kind == .claimed }.count == 1)
            #expect(try a.store.read { try $0.conversation(id)?.assigneeID } != nil)
        }
    }

    @Test func aClaimThroughOneDaemonReachesTheOthersClientWithinASecond() throws {
        let (serverA, serverB, me) = try startDaemons()
        defer { serverA.stop(); serverB.stop() }
        let id = try fixture.conversation()
        let watcher = try DaemonConnection(path: serverB.socketPath)
        defer { watcher.close() }
        let actor = RemoteInbox(connection: try DaemonConnection(path: serverA.socketPath))
        // Whatever B pushed for the conversation's opening has been read; the claim is what comes next.
        usleep(300_000)
        _ = try watcher.takePushedEvents()
        let sent = Date()
        _ = try actor.send(Inbox.Claim(id))
        var seen: Event?
        while seen == nil && Date().timeIntervalSince(sent) < 5 {
            let event = try watcher.nextEvent()
            if event.kind == .claimed && event.conversationID == id { seen = event }
        }
        let latency = Date().timeIntervalSince(sent)
        #expect(seen?.actor == .responder(login: me))
        #expect(latency < 1, "the claim through A reached B's client after \(latency) s")
    }

    @Test func whoIsComposingThroughOneDaemonShowsOnTheOthersClientsAndLeavesWithThem() throws {
        let (serverA, serverB, me) = try startDaemons()
        defer { serverA.stop(); serverB.stop() }
        let id = try fixture.conversation()
        let watcher = try DaemonConnection(path: serverB.socketPath)
        defer { watcher.close() }
        let composer = try DaemonConnection(path: serverA.socketPath)
        let sent = Date()
        _ = try composer.call(Inbox.SetPresence(id, .composing))
        var update = try watcher.nextPresence()
        while update.conversation != id { update = try watcher.nextPresence() }
        let latency = Date().timeIntervalSince(sent)
        #expect(update.people == [PresenceEntry(login: me, state: .composing)])
        #expect(latency < 1, "composing through A reached B's client after \(latency) s")
        #expect(try RemoteInbox(connection: watcher).send(Inbox.GetPresence(id)) == [PresenceEntry(login: me, state: .composing)])
        // The composer leaves: B's clients see the conversation empty again.
        composer.close()
        update = try watcher.nextPresence()
        while update.conversation != id { update = try watcher.nextPresence() }
        #expect(update.people.isEmpty)
    }

    @Test func theClockAndAnAccountAreHeldByOneDaemonAtATimeAndFreedWhenItCloses() throws {
        let other = try PostgresInboxStore(location: location)
        let held = try #require(try other.tryLease("account:acme"))
        #expect(try a.store.tryLease("account:acme") == nil, "held by the other daemon")
        #expect(try a.store.isRunning(other.instance))
        other.close()
        #expect(!held.isHeld)
        #expect(try !a.store.isRunning(other.instance), "a daemon that closed the database is gone")
        let taken = try a.store.tryLease("account:acme")
        #expect(taken?.isHeld == true, "taken over once the holder is gone")
    }
}
