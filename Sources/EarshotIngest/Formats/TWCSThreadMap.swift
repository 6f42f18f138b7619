/// What the TWCS adapter knows about a file's tweets: which brand posted each outbound tweet
/// and how inbound tweets link (parent, answers, @mentions). The look-ahead fills it for every
/// row of a file, so it is kept compact, a few dozen bytes a row: ids as numbers (the
/// dataset's ids are digits; one too long for 64 bits is not remembered), brands and handles
/// as numbers into tables, and each tweet's answers and @mentions in shared flat arrays.
struct TWCSThreadMap {
    struct Link {
        let parent: String?
        let responses: [String]
        /// Lowercased @mentioned handles.
        let mentions: [String]
    }

    private struct StoredLink {
        var parent: UInt64
        var responseStart: UInt32
        var responseCount: UInt16
        var mentionStart: UInt32
        var mentionCount: UInt16
    }

    private static let none = UInt64.max
    private var brandOfTweet: [UInt64: UInt32] = [:]
    private var links: [UInt64: StoredLink] = [:]
    private var linkedIDs: [UInt64] = []
    private var linkedHandles: [UInt32] = []
    private var names = Interned()

    /// Strings numbered in order of first sight.
    private struct Interned {
        var strings: [String] = []
        var numbers: [String: UInt32] = [:]

        mutating func number(_ string: String) -> UInt32 {
            if let known = numbers[string] { return known }
            let number = UInt32(strings.count)
            strings.append(string)
            numbers[string] = number
            return number
        }
    }

    mutating func setBrand(_ brand: String, ofTweet id: String) {
        guard let key = UInt64(id) else { return }
        brandOfTweet[key] = names.number(brand)
    }

    func brand(ofTweet id: String) -> String? {
        guard let key = UInt64(id), let number = brandOfTweet[key] else { return nil }
        return names.strings[Int(number)]
    }

    mutating func setLink(_ id: String, parent: String?, responses: [String], mentions: [String]) {
        guard let key = UInt64(id) else { return }
        let answers = responses.compactMap { UInt64($0) }.prefix(Int(UInt16.max))
        let handles = mentions.prefix(Int(UInt16.max)).map { names.number($0) }
        links[key] = StoredLink(
            parent: parent.flatMap { UInt64($0) } ?? Self.none,
            responseStart: UInt32(linkedIDs.count), responseCount: UInt16(answers.count),
            mentionStart: UInt32(linkedHandles.count), mentionCount: UInt16(handles.count))
        linkedIDs += answers
        linkedHandles += handles
    }

    func link(_ id: String) -> Link? {
        guard let key = UInt64(id), let stored = links[key] else { return nil }
        let responses = linkedIDs[Int(stored.responseStart)..<Int(stored.responseStart) + Int(stored.responseCount)]
        let mentions = linkedHandles[Int(stored.mentionStart)..<Int(stored.mentionStart) + Int(stored.mentionCount)]
        return Link(
            parent: stored.parent == Self.none ? nil : String(stored.parent),
            responses: responses.map { String($0) }, mentions: mentions.map { names.strings[Int($0)] })
    }
}
