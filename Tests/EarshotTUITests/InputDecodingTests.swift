import Testing
@testable import EarshotTUI

@Suite("Input decoding")
struct InputDecodingTests {
    @Test("Control characters")
    func controls() {
        #expect(InputDecoding.key(forCharacter: 13) == .enter)
        #expect(InputDecoding.key(forCharacter: 10) == .enter)
        #expect(InputDecoding.key(forCharacter: 9) == .tab)
        #expect(InputDecoding.key(forCharacter: 127) == .backspace)
        #expect(InputDecoding.key(forCharacter: 8) == .backspace)
        #expect(InputDecoding.key(forCharacter: 27) == .escape)
        #expect(InputDecoding.key(forCharacter: 12) == .control("l"))
        #expect(InputDecoding.key(forCharacter: 3) == .control("c"))
        #expect(InputDecoding.key(forCharacter: 0) == nil)
        #expect(InputDecoding.key(forCharacter: 0x9B) == nil)
        #expect(InputDecoding.key(forCharacter: 0x41) == .character("A"))
        #expect(InputDecoding.key(forCharacter: 0x6F22) == .character("漢"))
        #expect(InputDecoding.key(forCharacter: 0xD800) == nil)
    }

    @Test("Escape sequences terminfo may not describe")
    func sequences() {
        #expect(InputDecoding.key(forEscapeSequence: "[1;5D") == .ctrlLeft)
        #expect(InputDecoding.key(forEscapeSequence: "[1;5C") == .ctrlRight)
        #expect(InputDecoding.key(forEscapeSequence: "Od") == .ctrlLeft)
        #expect(InputDecoding.key(forEscapeSequence: "[Z") == .backTab)
        #expect(InputDecoding.key(forEscapeSequence: "[6~") == .pageDown)
        #expect(InputDecoding.key(forEscapeSequence: "[99~") == nil)
        #expect(!InputDecoding.isComplete("["))
        #expect(!InputDecoding.isComplete("[1;5"))
        #expect(InputDecoding.isComplete("[1;5D"))
        #expect(InputDecoding.isComplete("Od"))
    }
}
