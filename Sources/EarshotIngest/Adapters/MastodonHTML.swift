/// Turns the HTML of a Mastodon status's `content` into the plain text a person reads.
///
/// Paragraphs (and other blocks) are separated by a blank line, `<br>` is a line break,
/// every other tag is removed and its text kept: a mention link
/// `<a ...>@<span>user</span></a>` reads `@user`, and a link reads as its full URL, because
/// Mastodon splits the URL into hidden and shown spans (`https://www.` hidden, the middle
/// shown, the tail hidden behind an ellipsis) and plain text has no way to hide them.
/// Entities are decoded once, in text only. Spaces and line breaks inside text are kept as
/// written: Mastodon shows content with `white-space: pre-wrap`.
public enum MastodonHTML: Sendable {
    private static let blockTags: Set<String> = [
        "p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    ]

    /// Plain text for `html`, with leading and trailing whitespace removed.
    public static func plainText(_ html: String) -> String {
        var builder = Builder()
        let scalars = html.unicodeScalars
        var index = scalars.startIndex
        var textStart = index
        while index < scalars.endIndex {
            guard scalars[index] == "<", let tag = Tag.read(scalars, at: index) else {
                index = scalars.index(after: index)
                continue
            }
            builder.text(String(scalars[textStart..<index]))
            builder.apply(tag)
            index = tag.end
            textStart = index
        }
        builder.text(String(scalars[textStart...]))
        return builder.result
    }

    /// Accumulates the output, deferring block separators until text follows them, so
    /// that nesting and trailing tags add no stray blank lines.
    private struct Builder {
        var output = ""
        /// Line breaks owed before the next text (2 is a blank line).
        var pendingBreaks = 0

        mutating func text(_ html: String) {
            guard !html.isEmpty else { return }
            let decoded = HTMLEntities.decode(html)
            // Source formatting at a block boundary (`</p>\n<p>`) is not content.
            if pendingBreaks > 0, decoded.allSatisfy(\.isWhitespace) { return }
            emitPendingBreaks()
            output += decoded
        }

        mutating func apply(_ tag: Tag) {
            if tag.name == "br" {
                emitPendingBreaks()
                output += "\n"
            } else if MastodonHTML.blockTags.contains(tag.name) {
                pendingBreaks = 2
            } else if tag.name == "li", !tag.isClosing {
                pendingBreaks = max(pendingBreaks, 1)
            }
        }

        mutating func emitPendingBreaks() {
            defer { pendingBreaks = 0 }
            guard pendingBreaks > 0, !output.isEmpty else { return }
            let already = output.reversed().prefix { $0 == "\n" }.count
            if already < pendingBreaks {
                output += String(repeating: "\n", count: pendingBreaks - already)
            }
        }

        var result: String {
            var text = Substring(output)
            while let last = text.last, last.isWhitespace { text.removeLast() }
            while let first = text.first, first.isWhitespace { text.removeFirst() }
            return String(text)
        }
    }

    /// One tag or comment: its lowercased name (empty for comments and declarations) and
    /// where the text after it starts.
    private struct Tag {
        var name: String
        var isClosing: Bool
        var end: String.UnicodeScalarView.Index

        /// The tag starting at `start` (a `<`), or nil when the `<` is literal text: not
        /// followed by a name, `/` or `!`, or never closed.
        static func read(_ scalars: String.UnicodeScalarView, at start: String.UnicodeScalarView.Index) -> Tag? {
            var index = scalars.index(after: start)
            guard index < scalars.endIndex else { return nil }
            if scalars[index] == "!" {
                // A comment ends at `-->` (it may contain `>`); a declaration at `>`.
                let isComment = scalars[index...].starts(with: "!--".unicodeScalars)
                let terminator = Array((isComment ? "-->" : ">").unicodeScalars)
                var cursor = index
                while cursor < scalars.endIndex {
                    if scalars[cursor...].starts(with: terminator) {
                        let end = scalars.index(cursor, offsetBy: terminator.count)
                        return Tag(name: "", isClosing: false, end: end)
                    }
                    cursor = scalars.index(after: cursor)
                }
                return nil
            }
            let isClosing = scalars[index] == "/"
            if isClosing { index = scalars.index(after: index) }
            guard index < scalars.endIndex, scalars[index].properties.isAlphabetic, scalars[index].isASCII else {
                return nil
            }
            var name = ""
            while index < scalars.endIndex, scalars[index].isASCII,
                  scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index])
            {
                name.unicodeScalars.append(scalars[index])
                index = scalars.index(after: index)
            }
            // Attribute values may contain `>`; only a `>` outside quotes ends the tag.
            var quote: Unicode.Scalar?
            while index < scalars.endIndex {
                let scalar = scalars[index]
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == ">" {
                    return Tag(name: name.lowercased(), isClosing: isClosing, end: scalars.index(after: index))
                }
                index = scalars.index(after: index)
            }
            return nil
        }
    }
}
