/// Where each pane goes for a window size: the queue on top, the open thread below it, the
/// composer under the thread, and the status bar on the last line. Extra height goes to the
/// thread; a queue with no thread open takes the whole screen.
struct Layout {
    let queue: Rect
    let thread: Rect?
    let composer: Rect?
    let status: Rect

    static let composerHeight = 8

    init(width: Int, height: Int, threadOpen: Bool, composerOpen: Bool) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (main, status) = screen.splitBottom(1)
        self.status = status
        guard threadOpen else {
            queue = main
            thread = nil
            composer = nil
            return
        }
        let queueHeight = max(7, min(main.height * 2 / 5, main.height - 8))
        let (top, bottom) = main.splitTop(queueHeight)
        queue = top
        if composerOpen {
            let (threadArea, composerArea) = bottom.splitBottom(min(Self.composerHeight, max(4, bottom.height / 2)))
            thread = threadArea
            composer = composerArea
        } else {
            thread = bottom
            composer = nil
        }
    }

    init(_ state: AppState) {
        self.init(width: state.width, height: state.height, threadOpen: state.thread != nil, composerOpen: state.composer != nil)
    }

    /// Conversation lines that fit in the queue pane (inside its border, below the header).
    var queueLines: Int { max(1, queue.height - 3) }
    /// Text lines inside the thread pane's border.
    var threadLines: Int { max(1, (thread?.height ?? 0) - 2) }
}
