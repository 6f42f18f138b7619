@testable import EarshotIngest
import Testing

@Suite struct TriageLexiconTests {
    @Test func listsHaveNoConflictsOrMalformedEntries() {
        #expect(TriageLexicon.shared.problems == [])
    }

    @Test func everyWordingCueCoversTheFiveLanguages() {
        let entries = TriageLexicon.shared.entries
        for cue in [TriageCue.questionStrong, .complaintStrong, .complaintWeak, .praise, .spamStrong] {
            for language in [TriageLanguage.en, .es, .fr, .de, .ja] {
                let count = entries.filter { $0.cue == cue && $0.language == language }.count
                #expect(count >= 5, "\(cue) has \(count) entries in \(language)")
            }
        }
    }

    @Test func scanReadsTheSurfaceFeatures() {
        var scan = TriageScan()
        scan.scan("@Acme Call +1 (555) 123-4567?! see https://t.co/x and www.acme.com #Help jo@x.org")
        #expect(scan.startsWithMention)
        #expect(scan.questionMark == "?")
        #expect(scan.exasperation == "?!")
        #expect(scan.linkCount == 2)
        #expect(scan.longestDigitRun == 11)
        #expect(scan.tokens.map(\.kind) == [
            .mention, .word, .word, .word, .word, .word, .stop, .word, .link, .word, .link, .hashtag, .email,
        ])
        #expect(String(decoding: scan.normalized, as: UTF8.self) == "call + () -?! see and #help jo@x.org")
    }

    @Test func loweringKeepsTheLengthAndFoldsLatinGreekCyrillic() {
        var scan = TriageScan()
        let text = "ÀÉÎÕÜ ŁŚŹ ΑΒΓ ДЖЯ İ 日本"
        scan.scan(text)
        #expect(scan.lowered.count == text.utf8.count)
        #expect(String(decoding: scan.lowered, as: UTF8.self) == "àéîõü łśź αβγ джя İ 日本")
    }
}
