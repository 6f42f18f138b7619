import EarshotCore

/// Turns one JSON document (a whole file, or one line of a line-per-page stream) of a
/// platform's API output into items. Problems with single items inside a document are
/// returned beside the items that were fine, so one bad status does not lose a page.
public protocol DocumentAdapter: Sendable {
    var format: IngestFormat { get }
    /// - Parameters:
    ///   - document: the JSON text.
    ///   - firstLine: the 1-based line where the document starts in its input, for messages.
    func parse(document: String, firstLine: Int) -> [Result<IncomingItem, RecordProblem>]
}
