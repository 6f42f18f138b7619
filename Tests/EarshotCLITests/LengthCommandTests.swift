import EarshotTestSupport
import Foundation
import Testing

/// `earshot length`, run as a script would: an argument, lines on standard input, exit codes.
@Suite struct LengthCommandTests {
    let binary: String

    init() throws {
        binary = try BuiltProducts.executable("earshot")
    }

    func earshot(_ arguments: String..., stdin: String? = nil) throws -> ProcessResult {
        try runProcess(binary, ["length"] + arguments, environment: ["PATH": "/usr/bin:/bin"], stdin: stdin ?? "")
    }

    @Test func argumentIsCountedWithURLsAt23() throws {
        let result = try earshot("Thanks! Details: https://example.com/a/very/long/path/to/the/help/article")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "40\t100\tvalid\n")
        // Separate words are joined with one space.
        #expect(try earshot("see", "example.com").stdout == "27\t113\tvalid\n")
    }

    @Test func eachLineOfStandardInput() throws {
        let fits = String(repeating: "x", count: 140)
        let result = try earshot(stdin: "hello\n\(fits)\r\ne\u{301}t\u{E9} \u{1F431}\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "5\t135\tvalid\n140\t0\tvalid\n5\t135\tvalid\n")
        #expect(try earshot(stdin: "").stdout == "")  // nothing in, nothing out, success
    }

    @Test func exitsOneWhenAnyInputDoesNotFit() throws {
        let over = try earshot(String(repeating: "x", count: 141))
        #expect(over.status == 1)
        #expect(over.stdout == "141\t-1\ttoo-long\n")
        let mixed = try earshot(stdin: "fine\n\nbad\u{FEFF}\nfine too\n")
        #expect(mixed.status == 1)
        #expect(mixed.stdout == "4\t136\tvalid\n0\t140\tempty\n4\t136\tinvalid-character\n8\t132\tvalid\n")
        #expect(try earshot("").stdout == "0\t140\tempty\n")
    }

    @Test func wholeInputCountsNewlines() throws {
        let result = try earshot("--whole", stdin: "Hi,\nsee t.co/x\n")
        #expect(result.status == 0)
        #expect(result.stdout == "31\t109\tvalid\n")  // "Hi," + newline + "see " + 23
        #expect(try earshot("--whole", "text").status == 64)
    }

    @Test func jsonLines() throws {
        let result = try earshot("--json", stdin: "see example.com/x\n" + String(repeating: "y", count: 150) + "\n")
        #expect(result.status == 1)
        let objects = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 2)
        #expect(objects[0]["length"] as? Int == 27)
        #expect(objects[0]["remaining"] as? Int == 113)
        #expect(objects[0]["status"] as? String == "valid")
        let urls = try #require(objects[0]["urls"] as? [[String: Any]])
        #expect(urls.count == 1)
        #expect(urls.first?["url"] as? String == "example.com/x")
        #expect(urls.first?["start"] as? Int == 4)
        #expect(urls.first?["end"] as? Int == 17)
        #expect(objects[1]["status"] as? String == "too-long")
        #expect(result.stdout.hasPrefix(#"{"length":27,"remaining":113,"status":"valid","urls":[{"end":17,"start":4,"url":"example.com/x"}]}"#))
    }

    @Test func helpExplainsOutputAndExitStatus() throws {
        let help = try runProcess(binary, ["length", "--help"])
        #expect(help.status == 0)
        for phrase in ["LENGTH<TAB>REMAINING<TAB>STATUS", "too-long", "invalid-character", "Exit status", "--json", "--whole"] {
            #expect(help.stdout.contains(phrase), "\(phrase)")
        }
        #expect(try runProcess(binary, ["--help"]).stdout.contains("length"))
    }

    @Test func inputThatIsNotUTF8() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["length"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data([0x66, 0xFF, 0x0A]))
        try input.fileHandleForWriting.close()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 65)
        #expect(message.contains("not UTF-8"))
    }
}
