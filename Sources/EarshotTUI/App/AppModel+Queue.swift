import EarshotCore
import EarshotService

/// The queue as a window onto a view that may hold a million conversations: rows are read a
/// page at a time around the selection, never the whole view.
extension AppModel {
    /// How many rows to keep loaded: a few screens.
    var windowSize: Int { max(60, Layout(state).queueLines * 3) }
    var pageSize: Int { Layout(state).queueLines }

    func request(anchor: QueueAnchor, limit: Int) -> QueueWindowRequest {
        QueueWindowRequest(view: state.queue.view, filter: state.queue.filter, anchor: anchor, limit: limit)
    }

    func loadWindow(anchor: QueueAnchor, load: QueueLoad) -> AppEffect {
        let limit: Int
        switch load {
        case let .replace(_, requested), let .append(requested), let .prepend(requested, _), let .last(requested): limit = requested
        }
        return .loadQueue(request(anchor: anchor, limit: limit), load)
    }

    /// Reads the same stretch of the view again (a live change), keeping the selection.
    func reloadQueue() -> AppEffect {
        loadWindow(anchor: state.queue.anchor,
                   load: .replace(keep: state.queue.selectedRow?.conversation.id, requested: max(windowSize, state.queue.rows.count)))
    }

    /// A fresh start of the view (switching view, search, filter).
    mutating func restartQueue() -> [AppEffect] {
        state.queue.rows = []
        state.queue.selected = 0
        state.queue.scrollTop = 0
        state.queue.anchor = .first
        state.queue.reading = true
        return [loadWindow(anchor: .first, load: .replace(keep: nil, requested: windowSize))]
    }

    mutating func applyQueue(_ rows: [QueueRow], _ load: QueueLoad) {
        var queue = state.queue
        switch load {
        case let .replace(keep, requested):
            let previousIndex = queue.selected
            queue.rows = rows
            queue.moreAfter = rows.count >= requested
            queue.moreBefore = queue.anchor != .first
            if let keep, let index = rows.firstIndex(where: { $0.conversation.id == keep }) {
                queue.selected = index
            } else {
                queue.selected = min(previousIndex, max(0, rows.count - 1))
            }
        case let .append(requested):
            queue.rows += rows
            queue.moreAfter = rows.count >= requested
            queue.selected = min(queue.selected, max(0, queue.rows.count - 1))
            // Drop rows above the screen (only those), keeping at least a window's worth, so
            // scrolling a long view holds a few screens, not everything scrolled past.
            let excess = min(queue.rows.count - windowSize, queue.scrollTop)
            if excess > 0 {
                queue.anchor = .after(queue.rows[excess - 1].position)
                queue.rows.removeFirst(excess)
                queue.selected -= excess
                queue.scrollTop -= excess
                queue.moreBefore = true
            }
        case let .prepend(requested, thenMove):
            let shown = takeAnchorRow(rows, requested: requested, into: &queue)
            queue.rows = shown + queue.rows
            queue.selected = max(0, queue.selected + shown.count + thenMove)
            queue.scrollTop += shown.count
            if queue.rows.count > windowSize * 2 {
                queue.rows.removeLast(queue.rows.count - windowSize * 2)
                queue.moreAfter = true
            }
        case let .last(requested):
            let shown = takeAnchorRow(rows, requested: requested, into: &queue)
            queue.rows = shown
            queue.moreAfter = false
            queue.selected = max(0, shown.count - 1)
            queue.scrollTop = max(0, shown.count - pageSize)
        }
        state.queue = queue
        clampQueueScroll()
    }

    /// A backward read asks for one row more than it shows: that row, when it came, is where a
    /// reload of this stretch starts (`.after` it); when it did not, the view's top is loaded.
    private func takeAnchorRow(_ rows: [QueueRow], requested: Int, into queue: inout QueueState) -> [QueueRow] {
        var shown = rows
        if rows.count >= requested, let extra = shown.first {
            shown.removeFirst()
            queue.anchor = .after(extra.position)
            queue.moreBefore = true
        } else {
            queue.anchor = .first
            queue.moreBefore = false
        }
        return shown
    }

    /// Moves the selection by `delta` rows, reading more of the view when it runs off the window.
    mutating func moveSelection(by delta: Int) -> [AppEffect] {
        var queue = state.queue
        guard !queue.rows.isEmpty else { return [] }
        let target = queue.selected + delta
        var effects: [AppEffect] = []
        if target >= queue.rows.count {
            queue.selected = queue.rows.count - 1
            if queue.moreAfter, let last = queue.rows.last {
                effects.append(loadWindow(anchor: .after(last.position), load: .append(requested: max(pageSize, windowSize / 2))))
            }
        } else if target < 0 {
            queue.selected = 0
            if queue.moreBefore, let first = queue.rows.first {
                let count = max(pageSize, windowSize / 2)
                effects.append(loadWindow(anchor: .before(first.position), load: .prepend(requested: count + 1, thenMove: target)))
            }
        } else {
            queue.selected = target
            // Read ahead before the selection reaches either edge, so j and k never wait.
            if queue.moreAfter, queue.rows.count - target < pageSize, let last = queue.rows.last {
                effects.append(loadWindow(anchor: .after(last.position), load: .append(requested: max(pageSize, windowSize / 2))))
            } else if delta < 0, queue.moreBefore, target < pageSize, let first = queue.rows.first {
                let count = max(pageSize, windowSize / 2)
                effects.append(loadWindow(anchor: .before(first.position), load: .prepend(requested: count + 1, thenMove: 0)))
            }
        }
        state.queue = queue
        clampQueueScroll()
        return effects
    }

    mutating func jumpToTop() -> [AppEffect] {
        if state.queue.moreBefore { return restartQueue() }
        state.queue.selected = 0
        clampQueueScroll()
        return []
    }

    mutating func jumpToBottom() -> [AppEffect] {
        if state.queue.moreAfter { return [loadWindow(anchor: .last, load: .last(requested: windowSize + 1))] }
        state.queue.selected = max(0, state.queue.rows.count - 1)
        clampQueueScroll()
        return []
    }

    /// Keeps the selected row on screen.
    mutating func clampQueueScroll() {
        let lines = Layout(state).queueLines
        var queue = state.queue
        if queue.selected < queue.scrollTop { queue.scrollTop = queue.selected }
        if queue.selected >= queue.scrollTop + lines { queue.scrollTop = queue.selected - lines + 1 }
        queue.scrollTop = max(0, min(queue.scrollTop, max(0, queue.rows.count - 1)))
        state.queue = queue
    }
}
