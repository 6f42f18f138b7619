/// People's corrections of the classifier from one class to another, and how many.
public struct TriageOverrideCount: Codable, Sendable, Equatable {
    public var from: TriageClass
    public var to: TriageClass
    public var count: Int

    public init(from: TriageClass, to: TriageClass, count: Int) {
        self.from = from
        self.to = to
        self.count = count
    }
}
