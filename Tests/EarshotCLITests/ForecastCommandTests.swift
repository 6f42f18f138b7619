import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot forecast` as a person and a script read it, over two weeks of history written by
/// SQL: 6 conversations an hour, each answered 30 minutes after its claim (3 erlangs), so
/// every hour needs 4 responders (Erlang C, 80% within normal priority's 4 hours).
@Suite struct ForecastCommandTests {
    @Test(.timeLimit(.minutes(2))) func csvTableAndRefusals() throws {
        let home = try TemporaryDirectory("earshot-forecast-cli")
        let database = home.file("inbox.sqlite")
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database, "TZ": "UTC"]
        let binary = try BuiltProducts.executable("earshot")
        #expect(try runProcess(binary, ["responder", "list"], environment: environment).status == 0)
        let hour = Int64(Date().timeIntervalSince1970 * 1_000) / 3_600_000 * 3_600_000
        try CLITest.database(database).write { db in
            try db.execute(sql: """
                INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'AcmeSupport', 'Acme', 0);
                INSERT INTO customer (id, platform, handle, display_name, first_seen) VALUES (1, 'x', 'someone', 'S', 0);
                INSERT INTO responder (id, login, display_name, initials, role, availability, capacity)
                    VALUES (1, 'ann', 'Ann', 'AN', 'agent', 'available', 5);
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2 * 168 * 6 - 1)
                INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                    cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview, assignee_id, assigned_at, last_reply_at)
                    SELECT 1, 1, 'resolved', 1, 'question', 'test', 1, 1, at, at, at, at, 'help', 1, at, at + 1800000
                    FROM (SELECT \(hour) - 2 * 604800000 + i * 600000 AS at FROM n);
                INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                    SELECT id, 1, 1, 'done', 'sent', last_reply_at, last_reply_at, last_reply_at FROM conversation;
                """)
        }

        let csv = try runProcess(binary, ["forecast", "--days", "2", "--format", "csv"], environment: environment)
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "hour_start,open,arrivals,erlangs,needed,simulated,short")
        #expect(lines.count == 1 + 48)
        // Ann is available: 3 short of the 4 needed, every hour.
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",1,6.00,3.000,4,4,3") || $0.hasSuffix(",1,6.00,3.000,4,5,3") }, "\(lines)")

        let table = try runProcess(binary, ["forecast", "--days", "1"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("history: 2 weeks, trend +0.0% a week"), "\(table.stdout)")
        #expect(table.stdout.contains("handling: 30.0 min a conversation (median claim to reply 30.0 min × 1.00 replies)"))
        #expect(table.stdout.contains("target: 80% answered within 4h"))
        #expect(table.stdout.contains("team: 1 available now of 1"))
        #expect(table.stdout.contains("backtest (last week from the 1 before it): arrivals off by 0.0 an hour (0%), week total +0.0%; staffing within one in 100% of hours"))
        #expect(table.stdout.contains("warning: 24 hours need more than the 1 available now (up to 3 short)"))

        let json = try runProcess(binary, ["forecast", "--days", "1", "--format", "json", "--service-level", "90", "--target", "30m"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["targetSeconds"] as? Double == 1_800 && object["serviceLevel"] as? Double == 0.9)
        #expect((object["hours"] as? [Any])?.count == 24)

        let tooFar = try runProcess(binary, ["forecast", "--days", "40"], environment: environment)
        #expect(tooFar.status == 64 && tooFar.stderr.contains("days must be 1 to 28, not 40"), "\(tooFar.stderr)")
        let date = try runProcess(binary, ["forecast", "--target", "2026-12-01T00:00:00Z"], environment: environment)
        #expect(date.status == 64 && date.stderr.contains("--target is a length of time, like 30m or 2h, not a date"), "\(date.stderr)")
    }
}
