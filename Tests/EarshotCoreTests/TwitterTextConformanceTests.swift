import EarshotCore
import Foundation
import Testing

/// Runs twitter-text's own conformance files (read-only reference data beside the repository, at
/// `../shared/data/twitter-text`) against the counter and the URL scanner. Every section of every file
/// is either run here or excluded below by name with the reason; without the folder the suite is skipped.
/// The figures are in docs/length.md.
enum TwitterText {
    static let directory: URL? = {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = packageRoot.appendingPathComponent("../shared/data/twitter-text").standardizedFileURL
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("conformance").path) ? url : nil
    }()

    static func file(_ path: String) throws -> String {
        let directory = try #require(directory)
        return try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    /// `tests:` → section name → cases.
    static func sections(_ file: String) throws -> [(name: String, cases: [YAMLValue])] {
        let root = try MiniYAML.parse(try Self.file("conformance/" + file))
        guard case let .mapping(sections)? = root["tests"] else { throw YAMLError(description: "\(file): no tests") }
        return sections.map { ($0.key, $0.value.items ?? []) }
    }

    /// Sections that do not test v1 counting or URL detection, by file, with the reason.
    static let excludedSections: [String: [String: String]] = [
        "validate.yml": [
            "usernames": "username validation, not counting",
            "lists": "list-name validation, not counting",
            "hashtags": "hashtag validation, not counting",
            "urls": "isValidUrl, a separate strict RFC 3986 check on a lone URL, not what counting detects",
            "urls_without_protocol": "isValidUrl without a scheme, same",
            "WeightedTweetsWithDiscountedEmojiCounterTest": "v3 weights with emoji parsing (an emoji sequence counts 2)",
            "UnicodeDirectionalMarkerCounterTest":
                "v3 weights (U+202A and friends weigh 2); the facts it shows are unit tests in ReplyLengthTests",
        ],
        "validate-2017-with-v1-lengths.yml": [
            "tweets": "same cases as validate.yml's tweets, run there",
            "usernames": "username validation, not counting",
            "lists": "list-name validation, not counting",
            "hashtags": "hashtag validation, not counting",
            "urls": "isValidUrl, not counting",
            "urls_without_protocol": "isValidUrl, not counting",
            "WeightedTweetsCounterTest": "older copy of validate.yml's section, which is used",
        ],
        "extract.yml": [
            "mentions": "mention extraction", "mentions_with_indices": "mention extraction",
            "mentions_or_lists_with_indices": "mention extraction", "replies": "reply extraction",
            "hashtags": "hashtag extraction", "hashtags_from_astral": "hashtag extraction",
            "hashtags_with_indices": "hashtag extraction", "cashtags": "cashtag extraction",
            "cashtags_with_indices": "cashtag extraction",
        ],
        "tlds.yml": [:],
    ]

    /// The sections run, by file (WeightedTweetsCounterTest only for its cases that v1 counts the same).
    static let usedSections: [String: Set<String>] = [
        "validate.yml": ["tweets", "WeightedTweetsCounterTest"],
        "validate-2017-with-v1-lengths.yml": ["lengths"],
        "extract.yml": ["urls", "urls_with_indices", "urls_with_directional_markers", "tco_urls_with_params"],
        "tlds.yml": ["country", "generic"],
    ]

    /// Individual cases left out, by description, with the reason (none so far).
    static let excludedCases: [String: String] = [:]

    static func text(_ testCase: YAMLValue) throws -> String { try #require(testCase["text"]?.string) }
    static func name(_ testCase: YAMLValue) -> String { testCase["description"]?.string ?? "?" }

    static func urlTexts(_ expected: YAMLValue?) -> [String] {
        (expected?.items ?? []).compactMap { $0.string ?? $0["url"]?.string }
    }

    static func report(_ label: String, passed: Int, of total: Int, skipped: Int = 0) {
        print("twitter-text conformance: \(label): \(passed)/\(total) passed" + (skipped > 0 ? ", \(skipped) not applicable" : ""))
    }
}

@Suite(.enabled(if: TwitterText.directory != nil, "../shared/data/twitter-text is not beside the package; conformance skipped"))
struct TwitterTextConformanceTests {
    @Test func everySectionIsRunOrExcludedWithAReason() throws {
        for (file, used) in TwitterText.usedSections {
            let names = Set(try TwitterText.sections(file).map(\.name))
            let excluded = Set(TwitterText.excludedSections[file, default: [:]].keys)
            #expect(names == used.union(excluded), "\(file): sections \(names.subtracting(used.union(excluded))) unaccounted")
            #expect(used.isDisjoint(with: excluded))
        }
    }

    @Test func tweetsValidityUsesTheVersion1Rules() throws {
        let cases = try #require(try TwitterText.sections("validate.yml").first { $0.name == "tweets" }).cases
        var passed = 0
        for testCase in cases {
            let expected = try #require(testCase["expected"]?.bool as Bool?)
            let result = ReplyLength.measure(try TwitterText.text(testCase))
            #expect(result.isValid == expected, "\(TwitterText.name(testCase)): \(result)")
            if result.isValid == expected { passed += 1 }
        }
        #expect(cases.count == 8)
        TwitterText.report("validate.yml tweets", passed: passed, of: cases.count)
    }

    @Test func version1Lengths() throws {
        let cases = try #require(try TwitterText.sections("validate-2017-with-v1-lengths.yml").first { $0.name == "lengths" }).cases
        var passed = 0
        for testCase in cases {
            let expected = try #require(testCase["expected"]?.int)
            let length = ReplyLength.measure(try TwitterText.text(testCase)).weightedLength
            #expect(length == expected, "\(TwitterText.name(testCase))")
            if length == expected { passed += 1 }
        }
        #expect(cases.count == 8)
        TwitterText.report("validate-2017-with-v1-lengths.yml lengths", passed: passed, of: cases.count)
    }

    /// v2 weighs code points 0–U+10FF and three General Punctuation blocks 1 (100/100), others 2, and URLs
    /// 23 like v1; so where every code point of a text is in those ranges, the v2 weighted length is
    /// the v1 length. That turns most of the v2 section into v1 cases (long URLs, bad labels, NFC).
    @Test func version2CasesThatVersion1CountsTheSame() throws {
        let config = try JSONSerialization.jsonObject(with: Data(try TwitterText.file("config/v2.json").utf8)) as? [String: Any]
        let ranges = try #require(config?["ranges"] as? [[String: Int]]).compactMap { range -> ClosedRange<UInt32>? in
            guard range["weight"] == 100, let start = range["start"], let end = range["end"] else { return nil }
            return UInt32(start)...UInt32(end)
        }
        let cases = try #require(try TwitterText.sections("validate.yml").first { $0.name == "WeightedTweetsCounterTest" }).cases
        var passed = 0, applicable = 0
        for testCase in cases {
            let text = try TwitterText.text(testCase)
            let nfc = text.precomposedStringWithCanonicalMapping
            guard nfc.unicodeScalars.allSatisfy({ scalar in ranges.contains { $0.contains(scalar.value) } }) else { continue }
            applicable += 1
            let expected = try #require(testCase["expected"]?["weightedLength"]?.int)
            let length = ReplyLength.measure(text).weightedLength
            #expect(length == expected, "\(TwitterText.name(testCase))")
            if length == expected { passed += 1 }
        }
        #expect(applicable >= 10)
        TwitterText.report(
            "validate.yml WeightedTweetsCounterTest (cases with v2 weight 1 only)", passed: passed, of: applicable,
            skipped: cases.count - applicable)
    }

    @Test(arguments: ["urls", "tco_urls_with_params"])
    func extractedURLs(section: String) throws {
        let cases = try #require(try TwitterText.sections("extract.yml").first { $0.name == section }).cases
        var passed = 0, skipped = 0
        for testCase in cases {
            if TwitterText.excludedCases[TwitterText.name(testCase)] != nil {
                skipped += 1
                continue
            }
            let found = URLScanner.urls(in: try TwitterText.text(testCase)).map(\.text)
            let expected = TwitterText.urlTexts(testCase["expected"])
            #expect(found == expected, "\(TwitterText.name(testCase))")
            if found == expected { passed += 1 }
        }
        #expect(!cases.isEmpty)
        TwitterText.report("extract.yml \(section)", passed: passed, of: cases.count - skipped, skipped: skipped)
    }

    /// Indices are in code points, which is what twitter-text's entity indices count.
    @Test(arguments: ["urls_with_indices", "urls_with_directional_markers"])
    func extractedURLsWithIndices(section: String) throws {
        let cases = try #require(try TwitterText.sections("extract.yml").first { $0.name == section }).cases
        var passed = 0
        for testCase in cases {
            let found = URLScanner.urls(in: try TwitterText.text(testCase)).map { [$0.text, "\($0.range.lowerBound)", "\($0.range.upperBound)"] }
            let expected = try (testCase["expected"]?.items ?? []).map { item -> [String] in
                let indices = (item["indices"]?.items ?? []).compactMap(\.string)
                #expect(indices.count == 2)
                return [try #require(item["url"]?.string)] + indices
            }
            #expect(found == expected, "\(TwitterText.name(testCase))")
            if found == expected { passed += 1 }
        }
        #expect(!cases.isEmpty)
        TwitterText.report("extract.yml \(section)", passed: passed, of: cases.count)
    }

    /// One `https://twitter.<tld>` case per top-level domain; they also check the generated list.
    @Test func everyTopLevelDomainIsAURL() throws {
        var passed = 0, total = 0
        for (section, cases) in try TwitterText.sections("tlds.yml") {
            let list = section == "country" ? TopLevelDomains.country : TopLevelDomains.generic
            #expect(list.count == cases.count, "\(section)")
            for testCase in cases {
                total += 1
                let found = URLScanner.urls(in: try TwitterText.text(testCase)).map(\.text)
                let expected = TwitterText.urlTexts(testCase["expected"])
                #expect(found == expected, "\(TwitterText.name(testCase))")
                if found == expected { passed += 1 }
            }
        }
        #expect(total == TopLevelDomains.country.count + TopLevelDomains.generic.count)
        TwitterText.report("tlds.yml country + generic", passed: passed, of: total)
    }
}
