import Testing
import EarshotTUI

@Suite("Snapshots")
struct SnapshotTests {
    @Test("Sample layout", arguments: [(80, 24), (120, 40), (40, 10)])
    func sampleLayout(width: Int, height: Int) {
        Snapshot.assertMatches(SampleLayout.render(width: width, height: height), named: "sample-\(width)x\(height)")
    }

    @Test("Hostile text renders inert and leaves the rest of the screen as it was", arguments: [(80, 24), (40, 10)])
    func hostileText(width: Int, height: Int) {
        let benign = SampleLayout.render(width: width, height: height, message: "benign")
        let hostile = SampleLayout.render(width: width, height: height, message: hostileMention)
        // The message is on the first queue row (screen row 2) and stays inside the queue pane.
        let paneWidth = Rect(x: 0, y: 0, width: width, height: 1).columns([.ratio(0.45), .fill])[0].width
        for y in 0..<height where y != 2 {
            #expect(hostile.line(y) == benign.line(y), "row \(y)")
        }
        for x in (paneWidth - 1)..<width {
            #expect(hostile[x, 2] == benign[x, 2], "column \(x) of the message row")
        }
        for line in hostile.lines() { #expect(isInert(line)) }
        #expect(hostile.line(2).contains(width >= 80 ? "␛]0;pwned␇" : "␛]0;"))
        if width == 80 { Snapshot.assertMatches(hostile, named: "hostile-80x24") }
    }

    @Test("A mismatch is reported row by row")
    func diffReport() {
        var buffer = CellBuffer(width: 6, height: 2)
        buffer.put("abc", x: 0, y: 0, clippedTo: buffer.bounds)
        let recorded = Snapshot.render(buffer)
        buffer.put("漢", x: 1, y: 1, clippedTo: buffer.bounds)
        let report = Snapshot.diff(expected: recorded, actual: Snapshot.render(buffer))
        #expect(report == "line 3:\n- ||\n+ | 漢|\n")
    }
}
