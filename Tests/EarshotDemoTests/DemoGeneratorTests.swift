import EarshotCore
import EarshotIngest
import EarshotService
@testable import EarshotDemo
import Foundation
import Testing

/// The demo's customers and teammates: repeatable with a seed, a realistic mix, a daily
/// curve, and answers that always fit 140 with a signature.
struct DemoGeneratorTests {
    /// `count` posts from a generator starting at `start` (demo seconds after midnight).
    func posts(seed: UInt64, count: Int, from start: Double = 0) -> (times: [Double], posts: [DemoMention], generator: DemoGenerator) {
        var generator = DemoGenerator(seed: seed, from: start)
        var time = start
        var times: [Double] = []
        var posts: [DemoMention] = []
        for _ in 0..<count {
            time = generator.nextArrival(after: time)
            times.append(time)
            posts.append(generator.mention(at: time))
        }
        return (times, posts, generator)
    }

    @Test func theSameSeedGivesTheSamePostsAndAnotherSeedOthers() {
        let first = posts(seed: 42, count: 300)
        let again = posts(seed: 42, count: 300)
        let other = posts(seed: 43, count: 300)
        #expect(first.times == again.times)
        #expect(first.posts == again.posts)
        #expect(first.posts.map(\.text) != other.posts.map(\.text))
        #expect(first.times != other.times)
        // External ids are unique within a run (the store would drop a repeated one as a duplicate).
        #expect(Set(first.posts.map(\.externalID)).count == first.posts.count)
    }

    @Test func theMixHasEveryIntentTheThreeLanguagesEmojiAndReturningCustomers() {
        let (_, posts, generator) = posts(seed: 7, count: 3000, from: 9 * 3600)
        #expect(Set(posts.map(\.intent)) == Set(DemoIntent.allCases))
        #expect(Set(posts.map(\.language)) == Set(DemoLanguage.allCases))
        #expect(Set(posts.map(\.channel)) == Set(DemoGenerator.channels))
        let share = { (language: DemoLanguage) in Double(posts.filter { $0.language == language }.count) / Double(posts.count) }
        #expect(share(.english) > 0.6)
        #expect(share(.spanish) > 0.05)
        #expect(share(.japanese) > 0.05)
        // Every intent in every language except reposts, which quote the brand's English posts.
        for intent in [DemoIntent.question, .complaint, .praise] {
            for language in DemoLanguage.allCases {
                #expect(posts.contains { $0.intent == intent && $0.language == language }, "no \(intent) in \(language)")
            }
        }
        let withEmoji = posts.filter { $0.text.unicodeScalars.contains { $0.properties.isEmojiPresentation } }
        #expect(withEmoji.count > posts.count / 10)
        // Customers write again: fewer customers than posts by people who are not scammers.
        let byPeople = posts.filter { $0.intent != .spam }
        #expect(Set(byPeople.map(\.customer.handle)).count < byPeople.count * 9 / 10)
        #expect(generator.customers.count < posts.count)
        // Scam accounts are throwaways: they never come back as customers.
        let scammers = Set(generator.customers.filter(\.isScammer).map(\.handle))
        #expect(posts.filter { $0.intent == .spam }.allSatisfy { scammers.contains($0.customer.handle) })
        #expect(byPeople.allSatisfy { !scammers.contains($0.customer.handle) })
        // Some of them in the thread they started.
        let threaded = posts.filter { $0.kind == .reply }
        #expect(!threaded.isEmpty)
        for post in threaded {
            #expect(posts.contains { $0.externalID == post.inReplyTo && $0.customer.handle == post.customer.handle })
        }
        // Reposts quote the brand's own account, so threading sets them aside.
        for post in posts where post.intent == .broadcast {
            #expect(post.referencedAuthor == post.channel.handle)
            #expect(post.kind == .retweet || post.kind == .quote)
        }
    }

    @Test func followUpsDoNotShiftTheStreamOfNewPosts() {
        var plain = DemoGenerator(seed: 8)
        var chatty = DemoGenerator(seed: 8)
        var (plainTime, chattyTime) = (0.0, 0.0)
        for step in 0..<200 {
            plainTime = plain.nextArrival(after: plainTime)
            chattyTime = chatty.nextArrival(after: chattyTime)
            #expect(plainTime == chattyTime)
            let post = plain.mention(at: plainTime)
            let same = chatty.mention(at: chattyTime)
            #expect(post.text == same.text && post.customer.handle == same.customer.handle)
            // Customers of one generator write back a lot; the other's never do.
            if step % 3 == 0 { _ = chatty.followUp(.thanks, to: same) }
        }
    }

    @Test func aFollowUpAnswersThePreviousPostOfTheSameCustomer() {
        var (_, posts, generator) = posts(seed: 5, count: 50)
        let previous = posts.first { $0.intent == .question }!
        for reason in DemoFollowUp.allCases {
            let next = generator.followUp(reason, to: previous)
            #expect(next.inReplyTo == previous.externalID)
            #expect(next.customer.handle == previous.customer.handle)
            #expect(next.channel == previous.channel)
            #expect(next.kind == .reply)
            #expect(next.followUp == reason)
            #expect(next.text.hasPrefix(previous.channel.address + " "))
            posts.append(next)
        }
    }

    @Test func theDailyCurveIsBusierAtElevenThanAtThree() {
        #expect(DemoGenerator.arrivalsPerHour(atSecondOfDay: 11 * 3600) > 5 * DemoGenerator.arrivalsPerHour(atSecondOfDay: 3 * 3600))
        #expect(DemoGenerator.arrivalsPerHour(atSecondOfDay: 14 * 3600) > DemoGenerator.arrivalsPerHour(atSecondOfDay: 22 * 3600))
        // And the arrivals drawn follow it: thirty days, counted per hour of the day.
        var generator = DemoGenerator(seed: 11)
        var perHour = [Int](repeating: 0, count: 24)
        var time = 0.0
        while time < 30 * 86_400 {
            time = generator.nextArrival(after: time)
            perHour[Int(time.truncatingRemainder(dividingBy: 86_400) / 3600)] += 1
        }
        #expect(perHour[11] > 5 * perHour[3], "\(perHour)")
        #expect(perHour[10] > perHour[7], "\(perHour)")
        #expect(perHour[3] > 0, "quiet, not silent: \(perHour)")
        // About the curve's own count in the busiest hour (90 at the peak, bursts on top).
        #expect((30 * 80...30 * 140).contains(perHour[11]), "\(perHour)")
    }

    @Test func burstsComeAndGoWithMoreArrivalsWhileTheyLast() {
        var generator = DemoGenerator(seed: 3)
        var bursts: [DemoBurst] = []
        var time = 0.0
        while time < 3 * 86_400 {
            if let burst = generator.burst(at: time), bursts.last != burst { bursts.append(burst) }
            time += 30
        }
        #expect(bursts.count >= 10, "about one every 2.5 hours")
        for burst in bursts {
            #expect(burst.end - burst.start >= 240 && burst.end - burst.start <= 600)
            let middle = (burst.start + burst.end) / 2
            #expect(generator.arrivalsPerHour(at: middle) > DemoGenerator.arrivalsPerHour(atSecondOfDay: middle) + 19)
        }
        // Posts during a burst are mostly reports of the outage, on the burst's channel.
        let burst = bursts[0]
        var posts: [DemoMention] = []
        for step in 0..<200 { posts.append(generator.mention(at: burst.start + Double(step) * (burst.end - burst.start) / 200)) }
        let outage = posts.filter { $0.topic == .outage }
        #expect(outage.count > 120)
        #expect(outage.allSatisfy { $0.channel == burst.channel && ($0.intent == .complaint || $0.intent == .question) })
    }

    @Test func theClassifierAgreesWithTheIntentOfMostPosts() {
        let (times, posts, _) = posts(seed: 21, count: 2000, from: 9 * 3600)
        var classifier = TriageClassifier()
        var agree: [DemoIntent: (Int, Int)] = [:]
        var misses: [String] = []
        for (time, post) in zip(times, posts) {
            let verdict = classifier.classify(
                TriageInput(text: post.text, kind: post.kind, authorHandle: post.customer.handle, channelHandle: post.channel.handle,
                            referencesChannelPost: post.referencedAuthor == post.channel.handle),
                at: Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(time)))
            let same = verdict.triageClass.rawValue == post.intent.rawValue
            agree[post.intent, default: (0, 0)].0 += same ? 1 : 0
            agree[post.intent, default: (0, 0)].1 += 1
            if !same { misses.append("\(post.intent) → \(verdict.triageClass): \(post.text)") }
        }
        let total = agree.values.reduce(0) { $0 + $1.0 }
        #expect(Double(total) / Double(posts.count) > 0.97, "\(agree)\n\(Set(misses).sorted().joined(separator: "\n"))")
        for (intent, (same, count)) in agree {
            #expect(Double(same) / Double(count) > 0.9, "\(intent): \(same) of \(count)\n\(Set(misses).sorted().joined(separator: "\n"))")
        }
    }

    @Test func everyTeammateAnswerFits140WithTheSignature() {
        var (_, posts, generator) = posts(seed: 9, count: 2000)
        for post in posts.prefix(300) {
            for reason in DemoFollowUp.allCases { posts.append(generator.followUp(reason, to: post)) }
        }
        var random = DemoRandom(seed: 1)
        let longest = posts.map(\.customer.handle).max { $0.count < $1.count }!
        #expect(longest.count <= 40)
        for post in posts {
            for mate in DemoTeammates.roster {
                let text = DemoTeammates.answer(to: post, random: &random) + " ^\(mate.initials)"
                let measured = ReplyLength.measure(text)
                #expect(measured.isValid, "\(measured.weightedLength): \(text)")
                #expect(text.hasPrefix("@\(post.customer.handle) "))
            }
        }
        // Every template, with the longest handle the generator made and the longest greeting.
        let templates = DemoPhrasebook.answers.values.flatMap { $0.values.flatMap { $0 } }
            + DemoPhrasebook.secondAnswers.values.flatMap { $0 }
        for template in templates {
            let text = "@\(longest) Hi Valeria, " + DemoPhrasebook.fill(template, language: .english, random: &random) + " ^SO"
            #expect(ReplyLength.measure(text).isValid, "\(ReplyLength.measure(text).weightedLength): \(text)")
        }
    }

    @Test func everyMessageHasAnAnswerThatUsesOnlyWhatTheCustomerSaid() {
        func slots(_ text: String) -> Set<String> {
            Set(text.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) })
        }
        for phrase in DemoPhrasebook.customer + DemoPhrasebook.outage where phrase.intent != .spam {
            let answers = DemoPhrasebook.answers[phrase.subject]
            #expect(answers?[.english] != nil, "no English answer for \(phrase.subject)")
            // The customer's language, else that language's general answer.
            let inLanguage = answers?[phrase.language] ?? DemoPhrasebook.answers["other"]![phrase.language]!
            for answer in inLanguage {
                #expect(slots(answer).isSubset(of: slots(phrase.text)), "\(answer) answers \(phrase.text)")
            }
        }
    }

    @Test func anAnswerIsInTheCustomersLanguage() {
        let (_, posts, _) = posts(seed: 4, count: 600)
        var random = DemoRandom(seed: 2)
        for post in posts where post.intent != .spam && post.intent != .broadcast {
            let answer = DemoTeammates.answer(to: post, random: &random)
            let japanese = answer.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
            #expect(japanese == (post.language == .japanese), "\(post.text) → \(answer)")
        }
    }

    @Test func aTeammateWhoWouldShareThePersonsLoginTakesAnother() {
        let roster = DemoTeammates.roster(besides: "dana")
        #expect(!roster.map(\.login).contains("dana"))
        #expect(Set(roster.map(\.login)).count == 4)
        #expect(DemoTeammates.roster(besides: "someone") == DemoTeammates.roster)
    }
}
