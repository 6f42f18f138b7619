/// SQL the generators of big benchmark stores share.
enum BenchFixtures {
    /// Channel 1 (@AcmeSupport on x), responders 1-20 (`agent1`..., available, capacity 10)
    /// and customers 1-100,000, all created at `start` (ms); for a script inside a transaction.
    static func teamAndCustomers(at start: Int64) -> String {
        """
        INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'AcmeSupport', 'Acme', \(start));
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
        INSERT INTO responder (id, login, display_name, initials, role, availability, capacity)
            SELECT i, 'agent' || i, 'Agent ' || i, 'A' || char(64 + i), 'agent', 'available', 10 FROM n;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
        INSERT INTO customer (id, platform, handle, display_name, first_seen)
            SELECT i, 'x', 'customer' || i, 'Customer ' || i, \(start) FROM n;
        """
    }
}
