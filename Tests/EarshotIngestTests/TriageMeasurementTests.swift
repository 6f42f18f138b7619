import EarshotCore
import EarshotIngest
import Foundation
import Testing

/// Measurements taken by hand; none of them runs in a normal `swift test` unless its input
/// is present. docs/triage.md records the figures.
@Suite struct TriageMeasurementTests {
    static let samplePath = "/work/shared/data/twcs/twcs_sample_5000.csv"

    /// Classifies every inbound row of the TWCS sample and prints the class counts. Set
    /// TRIAGE_SAMPLE_DUMP=/some/file.tsv to get every row with its class and reason.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: samplePath)))
    func twcsSampleCounts() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.samplePath))
        let rows = SimpleCSV.rows(String(decoding: data, as: UTF8.self))
        let header = try #require(rows.first)
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let (inbound, text, author, created) = try (
            #require(column["inbound"]), #require(column["text"]), #require(column["author_id"]),
            #require(column["created_at"]))

        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        var items: [(time: Timestamp, input: TriageInput)] = []
        for row in rows.dropFirst() where row.count == header.count && row[inbound] == "True" {
            let date = try #require(parser.date(from: row[created]), "\(row[created])")
            let body = row[text]
            items.append((Timestamp(date), TriageInput(
                text: body, kind: .mention, authorHandle: row[author], channelHandle: Self.firstMention(body) ?? "")))
        }
        // The copy-paste rule needs arrival order.
        items.sort { $0.time < $1.time }

        var classifier = TriageClassifier()
        var counts: [TriageClass: Int] = [:]
        var dump = ""
        for item in items {
            let verdict = classifier.classify(item.input, at: item.time)
            counts[verdict.triageClass, default: 0] += 1
            let flat = item.input.text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            dump += "\(verdict.triageClass.rawValue)\t\(verdict.reason)\t\(flat)\n"
        }
        print("TWCS sample: \(items.count) inbound tweets")
        for triageClass in TriageClass.allCases {
            print("  \(triageClass.rawValue): \(counts[triageClass, default: 0])")
        }
        if let path = ProcessInfo.processInfo.environment["TRIAGE_SAMPLE_DUMP"] {
            try dump.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(items.count > 1000)
        #expect(counts.values.reduce(0, +) == items.count)
        #expect(counts[.question, default: 0] > 0 && counts[.complaint, default: 0] > 0)
    }

    /// Time per call on tweet-length text. Run with a release build:
    /// `TRIAGE_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path .build-triage-release --filter TriageMeasurementTests`
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TRIAGE_BENCH"] != nil))
    func speedPerCall() {
        let texts = [
            "@AcmeSupport I have sent several private messages and no one is responding as usual",
            "@AcmeSupport how do I reset my password? The link in the email does not work",
            "@AcmeSupport thank you so much for the quick reply, all sorted now!",
            "@AcmeSupport my order #12345 was supposed to arrive yesterday, still nothing. Why?!",
            "@AcmeSupport ¿Cómo puedo cambiar la dirección de envío de mi pedido?",
            "@AcmeSupport Können Sie mir bitte sagen, wann mein Paket ankommt?",
            "@AcmeSupport 注文した商品がまだ届きません。いつ届きますか？",
            "@AcmeSupport the app keeps crashing when I open settings https://t.co/abc123",
        ]
        // Every text distinct (a tag made of letters, since digits are normalised away), as
        // in normal traffic; then the same few texts from many accounts, as in a flood.
        let distinct = (0..<65_536).map { index in
            TriageInput(text: texts[index % texts.count] + " ref " + Self.letters(index),
                        authorHandle: "user\(index)", channelHandle: "AcmeSupport")
        }
        let flood = (0..<65_536).map { index in
            TriageInput(text: texts[index % texts.count], authorHandle: "user\(index)", channelHandle: "AcmeSupport")
        }
        for (name, inputs) in [("distinct texts", distinct), ("flood", flood)] {
            let calls = 1_000_000
            var classifier = TriageClassifier()
            var counts: [TriageClass: Int] = [:]
            let start = DispatchTime.now().uptimeNanoseconds
            for call in 0..<calls {
                let verdict = classifier.classify(
                    inputs[call & 65_535], at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(call)))
                counts[verdict.triageClass, default: 0] += 1
            }
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            let perCall = Double(elapsed) / Double(calls)
            print("triage (\(name)): \(calls) calls, \(Int(perCall.rounded())) ns per call; \(counts.sorted { $0.key.rawValue < $1.key.rawValue })")
            #expect(counts.values.reduce(0, +) == calls)
        }
    }

    static func letters(_ number: Int) -> String {
        var number = number
        var result = ""
        repeat {
            result.append(Character(Unicode.Scalar(UInt8(97 + number % 26))))
            number /= 26
        } while number > 0
        return result
    }

    /// The brand a tweet first @mentions, as the TWCS import assigns channels.
    static func firstMention(_ text: String) -> String? {
        guard let at = text.firstIndex(of: "@") else { return nil }
        let handle = text[text.index(after: at)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return handle.isEmpty ? nil : String(handle)
    }
}

/// RFC 4180 CSV, enough for the sample: quoted fields with doubled quotes and line breaks
/// (including bare carriage returns) inside quotes.
enum SimpleCSV {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n", "\r":
                if scalar == "\r", pending == "\n" { pending = iterator.next() }
                row.append(field)
                field = ""
                rows.append(row)
                row = []
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
