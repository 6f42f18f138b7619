import EarshotTUI

/// A small inbox-like layout drawn with the rendering API only: a status bar, a queue pane
/// with one line per script that is hard to measure, a thread pane, and a key-hint line.
/// Snapshot tests draw it at several sizes; the hostile-text tests swap one message.
enum SampleLayout {
    static let queue: [(handle: String, text: String)] = [
        ("@tanaka", "漢字のテスト、届きましたか？"),
        ("@kim", "안녕하세요 주문 확인 부탁드려요"),
        ("@ana", "😀 thanks for the quick fix!"),
        ("@fam", "👩‍👩‍👧 family plan question"),
        ("@jp", "🇯🇵 shipping to Osaka?"),
        ("@key", "1️⃣ first, 👍🏽 great"),
        ("@cafe", "cafe\u{301} au lait ﾊﾝｶｸ"),
        ("@thai", "ภาษาไทย ที่นี่"),
        ("@hindi", "नमस्ते, मदद चाहिए"),
        ("@ar", "مرحبا بكم في المتجر"),
        ("@he", "שלום עולם, הזמנה 42"),
    ]

    static let thread = "Hi! My order #4411 never arrived.\n\tTracking says 配達済み.\nCan you check? 🙏"

    /// Draws the layout; `message` replaces the text of the first queue row.
    static func render(width: Int, height: Int, message: String? = nil, selected: Int = 2) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        let rows = buffer.bounds.rows([.fixed(1), .fill, .fixed(1)])
        let panes = rows[1].columns([.ratio(0.45), .fill])

        buffer.draw(in: rows[0]) { bar in
            bar.fill(style: .reverse)
            bar.put(" Earshot — queue 11 · overdue 2", x: 0, y: 0, style: .reverse.adding(.bold))
        }
        buffer.draw(in: panes[0]) { pane in
            let inside = pane.box(title: "Queue (11)", lines: .heavy, titleStyle: .bold)
            pane.draw(in: inside) { list in
                for (index, item) in queue.enumerated() where index < list.height {
                    let text = index == 0 ? (message ?? item.text) : item.text
                    var x = list.put(index == selected ? "▶ " : "  ", x: 0, y: index)
                    x += list.put(item.handle, x: x, y: index, style: .bold.colored(.cyan))
                    x += list.put(" ", x: x, y: index)
                    list.put(text, x: x, y: index)
                    if index == selected {
                        list.addAttributes(.reverse, in: Rect(x: 0, y: index, width: list.width, height: 1))
                    }
                }
            }
        }
        buffer.draw(in: panes[1]) { pane in
            let inside = pane.box(title: "Thread — @tanaka 漢字")
            pane.draw(in: inside) { body in
                for (row, line) in SafeText.lines(thread).enumerated() {
                    body.put(line, x: 1, y: row)
                }
                body.horizontalLine(y: 4)
                body.put("overdue", x: 1, y: 5, style: Style(.underline, foreground: .red))
                body.put(" 12 min", x: 8, y: 5, style: .dim)
            }
        }
        buffer.draw(in: rows[2]) { hints in
            hints.put("j/k move · Enter open · r reply · ? help", x: 0, y: 0, style: .dim)
        }
        return buffer
    }
}
