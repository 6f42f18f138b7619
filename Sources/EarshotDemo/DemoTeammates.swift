import EarshotCore

/// A simulated colleague: a responder who claims, answers and resolves at human speed.
public struct DemoTeammate: Equatable, Sendable {
    public let login: String
    public let name: String
    public let initials: String
    public let capacity: Int
    /// Demo seconds from picking a conversation up to sending the answer: reading, looking the
    /// order up, typing.
    public let pace: ClosedRange<Double>
}

/// The demo's team and what its members write.
public enum DemoTeammates {
    public static let roster = [
        DemoTeammate(login: "dana", name: "Dana Kim", initials: "DK", capacity: 4, pace: 30...120),
        DemoTeammate(login: "kenji", name: "Kenji Mori", initials: "KM", capacity: 3, pace: 45...180),
        DemoTeammate(login: "lucia", name: "Lucía Ortega", initials: "LO", capacity: 4, pace: 40...150),
        DemoTeammate(login: "sam", name: "Sam Okafor", initials: "SO", capacity: 3, pace: 60...180),
    ]

    /// The roster beside a person logged in as `me`: a teammate who would share the login
    /// takes another one.
    public static func roster(besides me: String) -> [DemoTeammate] {
        roster.map { mate in
            guard mate.login == me else { return mate }
            return DemoTeammate(login: mate.login + "2", name: mate.name, initials: mate.initials, capacity: mate.capacity, pace: mate.pace)
        }
    }

    /// A teammate's answer to `mention`, addressed to its author (`@handle ...`), in the
    /// customer's language; the service adds the signature.
    public static func answer(to mention: DemoMention, random: inout DemoRandom) -> String {
        let language = mention.language
        let templates: [String]
        switch (mention.followUp, mention.intent) {
        case (.stillBroken?, _):
            templates = DemoPhrasebook.secondAnswers[language] ?? DemoPhrasebook.secondAnswers[.english]!
        case (.thanks?, _), (nil, .praise):
            templates = DemoPhrasebook.answers["thanks"]![language]!
        default:
            templates = DemoPhrasebook.answers[mention.subject]?[language] ?? DemoPhrasebook.answers["other"]![language]!
        }
        var body = DemoPhrasebook.fill(random.pick(templates), language: language, values: mention.values, random: &random)
        let first = mention.customer.name.split(separator: " ").first.map(String.init) ?? ""
        if language == .english, !first.isEmpty, first.allSatisfy(\.isLetter), random.chance(0.35) {
            body = "Hi \(first), " + body
        } else {
            body = body.prefix(1).uppercased() + body.dropFirst()
        }
        return "@\(mention.customer.handle) \(body)"
    }

    /// An internal note a teammate leaves now and then.
    public static func note(random: inout DemoRandom) -> String {
        DemoPhrasebook.fill(random.pick(DemoPhrasebook.notes), language: .english, random: &random)
    }
}
