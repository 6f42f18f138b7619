import Testing
@testable import EarshotTUI

@Suite("Cell buffer")
struct CellBufferTests {
    @Test("Text is clipped to the pane and put returns the columns advanced")
    func clipping() {
        var buffer = CellBuffer(width: 10, height: 2)
        let pane = Rect(x: 0, y: 0, width: 5, height: 1)
        #expect(buffer.put("abcdef", x: 2, y: 0, clippedTo: pane) == 3)
        #expect(buffer.lines() == ["  abc     ", "          "])
        #expect(buffer.put("zzz", x: 0, y: 1, clippedTo: pane) == 0)  // row outside the pane
        #expect(buffer.put("zzz", x: 9, y: 0, clippedTo: Rect(x: -5, y: -5, width: 100, height: 100)) == 1)
        #expect(buffer.lines()[0] == "  abc    z")
    }

    @Test("A wide character that would straddle the right edge becomes a space")
    func wideAtRightEdge() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.fill(buffer.bounds, with: ".")
        let pane = Rect(x: 0, y: 0, width: 4, height: 1)
        #expect(buffer.put("ab漢字", x: 1, y: 0, clippedTo: pane) == 3)
        #expect(buffer.lines() == [".ab ..", ])
        #expect(!buffer[3, 0].isContinuation && buffer[3, 0].grapheme == " ")
        #expect(buffer[4, 0].grapheme == ".")  // the next pane is untouched
    }

    @Test("A wide character that starts left of the pane leaves a space, not half a glyph")
    func wideAtLeftEdge() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.fill(buffer.bounds, with: ".")
        let pane = Rect(x: 2, y: 0, width: 4, height: 1)
        buffer.put("漢字b", x: 1, y: 0, clippedTo: pane)
        #expect(buffer.lines() == [".. 字b"])
    }

    @Test("Emoji sequences take two cells: a continuation cell follows the leading cell")
    func wideCells() {
        var buffer = CellBuffer(width: 12, height: 1)
        let drawn = buffer.put("👩‍👩‍👧🇯🇵1️⃣x", x: 0, y: 0, clippedTo: buffer.bounds)
        #expect(drawn == 7)
        #expect(buffer[0, 0].grapheme == "👩‍👩‍👧" && buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[2, 0].grapheme == "🇯🇵")
        #expect(buffer[6, 0].grapheme == "x")
        #expect(buffer.lines() == ["👩‍👩‍👧🇯🇵1️⃣x     "])
    }

    @Test("Overwriting half of a wide character blanks the other half")
    func overwritingHalf() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("漢字", x: 0, y: 0, clippedTo: buffer.bounds)
        buffer.put("x", x: 1, y: 0, clippedTo: buffer.bounds)  // the right half of 漢
        buffer.put("y", x: 2, y: 0, clippedTo: buffer.bounds)  // the left half of 字
        #expect(buffer.lines() == [" xy   "])
        for x in 0..<6 { #expect(!buffer[x, 0].isContinuation) }

        buffer.put("漢", x: 4, y: 0, clippedTo: buffer.bounds)
        buffer.put("字", x: 3, y: 0, clippedTo: buffer.bounds)  // covers the left half of 漢
        #expect(buffer.lines() == [" xy字 "])
    }

    @Test("Combining marks stay in their base's cell")
    func combining() {
        var buffer = CellBuffer(width: 8, height: 1)
        #expect(buffer.put("cafe\u{301}!", x: 0, y: 0, clippedTo: buffer.bounds) == 5)
        #expect(buffer[3, 0].grapheme == "e\u{301}")
        #expect(buffer[4, 0].grapheme == "!")
    }

    @Test("Right-to-left text is stored in logical order, without bidi controls")
    func rightToLeft() {
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put("שלום مرحبا", x: 0, y: 0, clippedTo: buffer.bounds)
        #expect(buffer.lines()[0].hasPrefix("שלום مرحبا"))
        #expect(isInert(buffer.lines()[0]))
    }

    @Test("Everything put is sanitized")
    func sanitizes() {
        var buffer = CellBuffer(width: 40, height: 1)
        buffer.put(hostileMention, x: 0, y: 0, clippedTo: buffer.bounds)
        buffer.fill(Rect(x: 39, y: 0, width: 1, height: 1), with: "\u{1B}")
        #expect(isInert(buffer.lines()[0]))
        #expect(buffer[39, 0].grapheme == "␛")
    }

    @Test("A grapheme wider than any pane becomes U+FFFD")
    func absurdCluster() {
        var buffer = CellBuffer(width: 20, height: 1)
        let cluster = "क" + String(repeating: "\u{93E}", count: 50)  // one cluster, 51 spacing cells
        #expect(cluster.count == 1)
        #expect(buffer.put(cluster + "x", x: 0, y: 0, clippedTo: buffer.bounds) == 2)
        #expect(buffer.lines()[0].hasPrefix("\u{FFFD}x"))
    }

    @Test("Buffers compare by what they show, whatever order their clusters were stored in")
    func clusterNumbering() {
        var first = CellBuffer(width: 6, height: 1)
        first.put("e\u{301}", x: 0, y: 0, clippedTo: first.bounds)
        first.put("👩‍👩‍👧", x: 2, y: 0, clippedTo: first.bounds)
        var second = CellBuffer(width: 6, height: 1)
        second.put("👩‍👩‍👧", x: 2, y: 0, clippedTo: second.bounds)
        second.put("e\u{301}", x: 0, y: 0, clippedTo: second.bounds)
        #expect(first == second)
        #expect(BufferDiff.changes(from: first, to: second).isEmpty)
        second.put("a\u{301}", x: 0, y: 0, clippedTo: second.bounds)
        #expect(first != second)
        #expect(BufferDiff.changes(from: first, to: second).map(\.x) == [0])
    }

    @Test("A buffer drawn over and over keeps its cluster table small")
    func clusterTableBounded() {
        var buffer = CellBuffer(width: 4, height: 1)
        let marks = (0x300...0x36F).compactMap(Unicode.Scalar.init).map { String($0) }
        for (index, mark) in marks.enumerated() {
            for other in marks.prefix(30) {
                buffer.put("e" + mark + other, x: index % 4, y: 0, clippedTo: buffer.bounds)
            }
        }
        #expect(buffer.clusters.count <= 1024)
        #expect(buffer.line(0).count == 4)
        buffer.clear()
        #expect(buffer.clusters.isEmpty)
    }

    @Test("Fill, wide fill, lines and styles")
    func fillAndStyle() {
        var buffer = CellBuffer(width: 5, height: 3)
        buffer.fill(Rect(x: 0, y: 0, width: 5, height: 1), with: "漢", style: .bold)
        buffer.horizontalLine(x: 0, y: 1, length: 10, clippedTo: Rect(x: 1, y: 0, width: 3, height: 3))
        buffer.verticalLine(x: 4, y: 0, length: 3, clippedTo: buffer.bounds)
        #expect(buffer.lines() == ["漢漢│", " ───│", "    │"])
        buffer.setStyle(.reverse, in: Rect(x: 0, y: 2, width: 2, height: 1))
        #expect(buffer.styleRuns() == ["0: 0-3 bold", "2: 0-1 reverse"])
        buffer.clear()
        #expect(buffer.lines() == ["     ", "     ", "     "])
        #expect(buffer.styleRuns().isEmpty)
    }

    @Test("A canvas draws in local coordinates and cannot leave its pane")
    func canvas() {
        var buffer = CellBuffer(width: 12, height: 4)
        buffer.fill(buffer.bounds, with: ".")
        buffer.draw(in: Rect(x: 2, y: 1, width: 6, height: 2)) { canvas in
            #expect(canvas.bounds == Rect(x: 0, y: 0, width: 6, height: 2))
            canvas.clear()
            canvas.put("hello world", x: 0, y: 0)
            canvas.put("out", x: 0, y: 5)
            canvas.draw(in: Rect(x: 3, y: 1, width: 10, height: 1)) { inner in
                inner.put("abcdef", x: 0, y: 0, style: .bold)  // clipped by the outer pane too
                inner.setCursor(x: 1, y: 0)
            }
        }
        #expect(buffer.lines() == ["............", "..hello ....", "..   abc....", "............"])
        #expect(buffer.cursor == Position(x: 6, y: 2))
    }

    @Test("Boxes with titles, truncated to fit")
    func boxes() {
        var buffer = CellBuffer(width: 12, height: 4)
        buffer.draw(in: buffer.bounds) { canvas in
            let inside = canvas.box(title: "Queue 漢字漢字")
            #expect(inside == Rect(x: 1, y: 1, width: 10, height: 2))
            canvas.put("x", x: inside.x, y: inside.y)
        }
        #expect(buffer.lines() == ["┌─ Queue …─┐", "│x         │", "│          │", "└──────────┘"])
    }
}

@Suite("Rect layout")
struct RectTests {
    let screen = Rect(x: 0, y: 0, width: 80, height: 24)

    @Test("Rows and columns by fixed size, ratio and fill")
    func splits() {
        let rows = screen.rows([.fixed(1), .fill, .fixed(1)])
        #expect(rows == [Rect(x: 0, y: 0, width: 80, height: 1), Rect(x: 0, y: 1, width: 80, height: 22), Rect(x: 0, y: 23, width: 80, height: 1)])
        let columns = screen.columns([.ratio(0.25), .fill, .fill])
        #expect(columns.map(\.width) == [20, 30, 30])
        #expect(columns.map(\.x) == [0, 20, 50])
        #expect(screen.columns([.fill, .fill, .fill]).map(\.width) == [27, 27, 26])
        #expect(Rect(x: 0, y: 0, width: 5, height: 1).columns([.fixed(4), .fixed(4), .fill]).map(\.width) == [4, 1, 0])
    }

    @Test("Convenience splits, inset and intersection")
    func helpers() {
        #expect(screen.splitLeft(30).right == Rect(x: 30, y: 0, width: 50, height: 24))
        #expect(screen.splitTop(2).bottom == Rect(x: 0, y: 2, width: 80, height: 22))
        #expect(screen.splitBottom(1).bottom == Rect(x: 0, y: 23, width: 80, height: 1))
        #expect(screen.inset(by: 1) == Rect(x: 1, y: 1, width: 78, height: 22))
        #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset(by: 1).isEmpty)
        #expect(screen.intersection(Rect(x: 70, y: 20, width: 20, height: 20)) == Rect(x: 70, y: 20, width: 10, height: 4))
        #expect(screen.intersection(Rect(x: 100, y: 0, width: 5, height: 5)).isEmpty)
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).isEmpty)
        #expect(screen.row(3) == Rect(x: 0, y: 3, width: 80, height: 1))
    }
}
