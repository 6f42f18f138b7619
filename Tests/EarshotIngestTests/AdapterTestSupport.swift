import EarshotIngest
import Foundation
import Testing

/// Reads the hand-written platform samples in `Fixtures/`.
enum AdapterFixture {
    static func text(_ name: String, extension ext: String = "json") throws -> String {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
            "fixture \(name).\(ext) is missing from the test bundle")
        return try String(contentsOf: url, encoding: .utf8)
    }
}

/// An adapter's results split into what it read and what it refused, in document order.
struct AdapterOutput {
    var mentions: [IncomingMention] = []
    var problems: [RecordProblem] = []
    /// Items that were not mentions (the four platform adapters never produce them).
    var others: [IncomingItem] = []

    init(_ results: [Result<IncomingItem, RecordProblem>]) {
        for result in results {
            switch result {
            case .success(.mention(let mention)): mentions.append(mention)
            case .success(let other): others.append(other)
            case .failure(let problem): problems.append(problem)
            }
        }
    }

    init(_ adapter: some DocumentAdapter, _ document: String, firstLine: Int = 1) {
        self.init(adapter.parse(document: document, firstLine: firstLine))
    }

    func mention(_ externalID: String) throws -> IncomingMention {
        try #require(mentions.first { $0.externalID == externalID }, "no mention \(externalID)")
    }

    /// The raw payload as a JSON object, to check it is the item's own record.
    static func object(_ rawPayload: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(rawPayload.utf8)) as? [String: Any])
    }
}
