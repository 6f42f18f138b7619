import EarshotStore
import EarshotTestSupport
import Testing

/// A daemon's leases on PostgreSQL end as it closes, however often it is told to: a query sent on
/// a connection that has already closed is never answered by postgres-nio, so a second release
/// that sent one would hang the daemon's shutdown (it hung CI once).
@Suite(.enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"),
       .timeLimit(.minutes(1)))
struct PostgresLeaseTests {
    @Test func leasesReleasedTwiceThenClosedEndAtOnceAndAreFreeForOthers() throws {
        let fixture = try StoreFixture(.postgres)
        let store = try #require(fixture.store as? PostgresInboxStore)
        let lease = try #require(try store.tryLease("account:acme"))
        let other = try PostgresInboxStore(location: store.location, listen: false)
        #expect(try other.isRunning(store.instance))
        store.releaseLeases()
        store.releaseLeases()
        #expect(!lease.isHeld)
        #expect(try !other.isRunning(store.instance), "released at once, not when the server notices")
        #expect(try other.tryLease("account:acme")?.isHeld == true)
        store.close()
    }

    @Test func aClosedStoreRefusesWorkInsteadOfWaiting() throws {
        let fixture = try StoreFixture(.postgres)
        let store = try #require(fixture.store as? PostgresInboxStore)
        store.close()
        #expect(throws: (any Error).self) { try store.read { try $0.counts() } }
        #expect(throws: (any Error).self) { try store.tryLease("clock") }
    }
}
