import EarshotCore
import EarshotTUI
import Testing

/// `/` searches as it is typed: each character reads the queue again, newest first; Escape puts
/// back the search that was in force, Enter keeps the one typed.
struct SearchAsTypedTests {
    @Test func theQueueFollowsTheSearchAsItIsTypedAndEscapePutsTheOldOneBack() throws {
        let fixture = try AppFixture()
        try fixture.mention("kim_tanaka", "the app logs me out", minutesAgo: 90)
        try fixture.mention("lee", "order 48213 has not arrived", minutesAgo: 60)
        try fixture.mention("mori", "注文した商品がまだ届きません", minutesAgo: 40)
        try fixture.mention("kim_tanaka", "the app crashes at checkout", minutesAgo: 20)
        try fixture.mention("ana", "my box came crushed 📦 again", minutesAgo: 10)
        fixture.start()
        fixture.press(.character("v"))  // mine is empty; unassigned holds them
        #expect(rows(fixture).count == 5)

        fixture.press(.character("/"))
        fixture.type("4")
        #expect(rows(fixture).count == 1, "one character already narrows: \(fixture.screen)")
        fixture.type("82")
        #expect(rows(fixture) == ["order 48213 has not arrived"])
        fixture.press(.escape)
        #expect(rows(fixture).count == 5, "Escape puts back the queue without a search")

        fixture.press(.character("/"))
        fixture.type("@kim")
        #expect(rows(fixture) == ["the app crashes at checkout", "the app logs me out"], "newest first")
        fixture.press(.enter)
        #expect(fixture.screen.contains("searching for \"@kim\""))

        fixture.press(.character("/"))
        fixture.type("まだ届")
        #expect(rows(fixture) == ["注文した商品がまだ届きません"])
        fixture.press(.escape)
        #expect(rows(fixture).count == 2, "back to the search that was in force: @kim")

        fixture.press(.character("/"))
        fixture.type("📦")
        #expect(rows(fixture) == ["my box came crushed 📦 again"])
        fixture.press(.enter)
        fixture.press(.character("/"), .enter)
        #expect(fixture.screen.contains("search cleared"))
        #expect(rows(fixture).count == 5)
    }

    /// The previews the queue pane shows, top to bottom.
    private func rows(_ fixture: AppFixture) -> [String] {
        let previews = ["the app logs me out", "order 48213 has not arrived", "注文した商品がまだ届きません",
                        "the app crashes at checkout", "my box came crushed 📦 again"]
        return fixture.terminal.lines.compactMap { line in previews.first { line.contains($0) } }
    }
}
