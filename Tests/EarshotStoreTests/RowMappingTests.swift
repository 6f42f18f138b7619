import EarshotCore
@testable import EarshotStore
import Foundation
import GRDB
import Testing

/// Rows map to domain values by column name: the order a query selects them in does not
/// matter, a column left out is an error naming it, and the core's timestamps and ids are
/// database values of their own.
@Suite struct RowMappingTests {
    @Test func aConversationDecodesTheSameWhateverTheColumnOrder() throws {
        let fixture = try StoreFixture()
        let opened = try fixture.openConversation(due: fixture.clock.now().adding(seconds: 600))
        let read = try #require(try fixture.store.read { try $0.conversation(opened.id) })
        let columns = SQLiteSession.conversationColumns
        // The same columns, reversed: a positional decoder would swap every field.
        let reversed = Self.splitColumns(columns).reversed().joined(separator: ", ")
        let queue = try DatabaseQueue(path: fixture.directory.file("inbox.sqlite"))
        let (straight, backwards) = try queue.read { db in
            (try ConversationLayout.conversation(Row.fetchOne(db, sql: "SELECT \(columns) FROM conversation WHERE id = ?", arguments: [opened.id])),
             try ConversationLayout.conversation(Row.fetchOne(db, sql: "SELECT \(reversed) FROM conversation WHERE id = ?", arguments: [opened.id])))
        }
        #expect(straight == read)
        #expect(backwards == read)
        #expect(read.slaDueAt == fixture.clock.now().adding(seconds: 600))
    }

    @Test func aMissingColumnIsNamed() throws {
        let fixture = try StoreFixture()
        let opened = try fixture.openConversation()
        let queue = try DatabaseQueue(path: fixture.directory.file("inbox.sqlite"))
        #expect(throws: ConversationLayout.MissingColumn.self) {
            try queue.read { db in
                try ConversationLayout.conversation(Row.fetchOne(db, sql: "SELECT id, status FROM conversation WHERE id = ?", arguments: [opened.id]))
            }
        }
    }

    @Test func timestampsAndIDsAreDatabaseValues() throws {
        let queue = try DatabaseQueue()
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_123_456)
        let (readTime, readID, missing): (Timestamp?, ConversationID?, Timestamp?) = try queue.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT ? AS at, ? AS id, NULL AS gone", arguments: [time, ConversationID(42)]))
            return (row["at"], row["id"], row["gone"])
        }
        #expect(readTime == time)
        #expect(readID == ConversationID(42))
        #expect(missing == nil)
    }

    /// Top-level commas only: the labels column is a subquery with commas inside.
    static func splitColumns(_ list: String) -> [String] {
        var columns: [String] = []
        var depth = 0
        var current = ""
        for character in list {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                columns.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            } else {
                current.append(character)
            }
        }
        columns.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
        return columns
    }
}
