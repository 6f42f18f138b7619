import EarshotCore
import EarshotTUI
import Testing

/// The loop when its terminal goes away (`Terminal.isClosed`): no one is left to answer a
/// question, so it saves the draft as typed and ends at once.
@Suite struct AppHangupTests {
    @Test func aClosedTerminalEndsTheLoopWithTheDraftSaved() throws {
        let fixture = try AppFixture()
        let id = try fixture.mention("kim", "where is my order?")
        _ = try fixture.service.claim(id, by: "dana")
        fixture.start()
        fixture.press(.character("g"), .enter, .character("r"))
        fixture.type("checking with the carrier")
        #expect(try fixture.service.draft(of: id, by: "dana")?.text != "@kim checking with the carrier", "not saved yet: under a second")

        fixture.terminal.isClosed = true
        fixture.app.step(waiting: 0)
        #expect(fixture.app.model.state.quitting, "quit without the unsent-draft question")
        #expect(try fixture.service.draft(of: id, by: "dana")?.text == "@kim checking with the carrier")
    }
}
