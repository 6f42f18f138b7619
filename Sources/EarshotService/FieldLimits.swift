import EarshotCore

/// The size of everything a person writes, checked by the service so the daemon and
/// single-user mode refuse alike (docs/protocol.md, Limits). Sizes are in characters as
/// Unicode code points: a cluster of a million combining marks is a million, not one.
///
/// One rule for control characters: in everything people write, control characters other
/// than newline and tab (U+0000–U+0008, U+000B–U+001F, U+007F–U+009F) are removed before the
/// size is checked; a CR of a pasted CRLF goes, its LF stays. One-line fields (labels,
/// names, search text) refuse newline and tab.
public enum FieldLimits {
    public static let label = 64
    /// Labels on one conversation.
    public static let labelsPerConversation = 32
    public static let note = 4_000
    /// A draft, and the text of a reply before its signature (the 140 rule is checked after).
    public static let draft = 4_000
    public static let displayName = 64
    /// Each queue filter field: search text, channel handle, label.
    public static let filter = 200

    /// `text` without control characters other than newline and tab, refused when longer
    /// than `limit`. `field` names it in the error ("the note", "a label").
    public static func clean(_ text: String, _ field: String, limit: Int, oneLine: Bool = false) throws -> String {
        // Checking the raw size first keeps a megabyte of text from being copied for nothing;
        // removing controls only shortens it.
        var scalars = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars where !isRemoved(scalar) {
            if oneLine && (scalar == "\n" || scalar == "\t") {
                throw ServiceError.invalid("\(field) must be one line: remove the line break or tab")
            }
            count += 1
            if count > limit { throw tooLong(field, size: text.unicodeScalars.count, limit: limit) }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// The refusal: what, how long, the limit, what to do.
    static func tooLong(_ field: String, size: Int, limit: Int) -> ServiceError {
        .invalid("\(field) is \(size) characters; the limit is \(limit): shorten it (docs/protocol.md, Limits)")
    }

    /// C0 and C1 controls and DEL, except newline and tab.
    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
