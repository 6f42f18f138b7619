import EarshotCore
import EarshotService
import EarshotStore
import Foundation
import Testing

/// Several responders claiming the same conversation at the same moment, each through their
/// own connection to one database file: exactly one wins, the others are told who did.
@Suite struct ConcurrentClaimTests {
    @Test func exactlyOneOfSimultaneousClaimsWins() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        let logins = ["ann", "bob", "cat", "dev"]
        for login in logins { try fixture.responder(login) }
        // One service per caller, each over its own store (its own SQLite connections).
        let services = try logins.map { _ in
            InboxService(store: try fixture.reopenedStore(), clock: fixture.clock,
                         policy: fixture.service.policy)
        }
        for round in 0..<25 {
            let id = try fixture.conversation()
            let outcomes = Outcomes()
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for (index, login) in logins.enumerated() {
                done.enter()
                Thread.detachNewThread {
                    start.wait()
                    do {
                        try services[index].claim(id, by: login)
                        outcomes.add(.won(login))
                    } catch let error as ServiceError {
                        outcomes.add(.refused(error))
                    } catch {
                        outcomes.add(.failed("\(error)"))
                    }
                    done.leave()
                }
            }
            for _ in logins { start.signal() }
            done.wait()
            let results = outcomes.all
            let winners = results.compactMap { if case let .won(login) = $0 { login } else { nil } }
            #expect(winners.count == 1, "round \(round): \(results)")
            let winner = try #require(winners.first)
            #expect(try fixture.assignee(id) == winner)
            let refusals = results.compactMap { if case let .refused(error) = $0 { error } else { nil } }
            #expect(refusals.count == logins.count - 1, "round \(round): \(results)")
            for refusal in refusals {
                #expect(refusal == .alreadyClaimed(conversation: id, by: "\(winner.capitalized) (\(winner))"))
            }
            let claims = try fixture.store.read { try $0.events(for: id) }.filter { $0.kind == .claimed }
            #expect(claims.count == 1)
        }
    }

    enum Outcome: Sendable, CustomStringConvertible {
        case won(String)
        case refused(ServiceError)
        case failed(String)

        var description: String {
            switch self {
            case let .won(login): "won by \(login)"
            case let .refused(error): "refused: \(error)"
            case let .failed(message): "failed: \(message)"
            }
        }
    }

    final class Outcomes: @unchecked Sendable {
        // @unchecked: every access goes through the lock.
        private let lock = NSLock()
        private var outcomes: [Outcome] = []
        func add(_ outcome: Outcome) { lock.withLock { outcomes.append(outcome) } }
        var all: [Outcome] { lock.withLock { outcomes } }
    }
}
