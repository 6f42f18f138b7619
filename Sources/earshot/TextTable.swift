/// A table for people: columns as wide as their widest cell, the first column to the left and
/// the rest to the right, two spaces apart (`earshot stats`, `earshot forecast`).
enum TextTable {
    /// `lines`, the header first; with `totalRule`, a rule of dashes before the last line.
    static func render(_ lines: [[String]], totalRule: Bool = false) -> String {
        guard let header = lines.first else { return "" }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for (index, line) in lines.enumerated() {
            if totalRule, index == lines.count - 1 { out += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n" }
            out += line.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return out
    }
}
