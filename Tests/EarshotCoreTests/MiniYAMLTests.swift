import Testing

/// The conformance suite is only as good as its YAML reader: these pin down what it must get right.
@Suite struct MiniYAMLTests {
    @Test func conformanceShapedDocument() throws {
        let document = """
            ---
            tests:
              lengths:
                - description: "Count: a URL"
                  text: "http://test.com"
                  expected: 23

                 # a comment at an odd indentation
                - description: 'It''s quoted'
                  text: "\\u00e9\\n\\"\\\\\\U0001f431\\ud83d\\ude00\\t\\x41"
                  expected: ["a", "b, c"]
              with_indices:
                - description: nested
                  text: plain text: with a colon
                  expected:
                    - url: "http://google.com"
                      indices: [5, 22]
                - description: empty
                  text: ""
                  expected:
              tlds:
              - description: 한국 is a valid country tld
                text: https://twitter.한국
                expected:
                - https://twitter.한국
            """
        let root = try MiniYAML.parse(document)
        let tests = try #require(root["tests"])
        let lengths = try #require(tests["lengths"]?.items)
        #expect(lengths.count == 2)
        #expect(lengths[0]["description"]?.string == "Count: a URL")
        #expect(lengths[0]["expected"]?.int == 23)
        #expect(lengths[1]["description"]?.string == "It's quoted")
        #expect(lengths[1]["text"]?.string == "é\n\"\\\u{1F431}\u{1F600}\tA")
        #expect(lengths[1]["expected"] == .sequence([.scalar("a", quoted: true), .scalar("b, c", quoted: true)]))
        let nested = try #require(tests["with_indices"]?.items)
        #expect(nested[0]["text"]?.string == "plain text: with a colon")
        #expect(nested[0]["expected"]?.items?.first?["indices"]?.items?.compactMap(\.int) == [5, 22])
        #expect(nested[1]["text"]?.string == "")
        #expect(nested[1]["expected"] == .null)
        let tlds = try #require(tests["tlds"]?.items)
        #expect(tlds.first?["expected"]?.items?.first?.string == "https://twitter.한국")
    }

    @Test func malformedInputIsAnErrorNotAGuess() {
        #expect(throws: YAMLError.self) { try MiniYAML.parse("key: \"unterminated") }
        #expect(throws: YAMLError.self) { try MiniYAML.parse("key: \"\\q\"") }
        #expect(throws: YAMLError.self) { try MiniYAML.parse("a: 1\n  b: 2") }
        #expect(throws: YAMLError.self) { try MiniYAML.parse("key: {a: 1}") }
    }
}
