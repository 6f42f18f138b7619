/// Remembers recent texts and who sent them, for the copy-paste rule: the same text from
/// many accounts is a flood, the same text from one account is someone repeating themselves.
///
/// Texts are remembered by a 64-bit hash (seeded per process, so nobody can craft
/// collisions), which keeps a remembered text to a few dozen bytes whatever its length.
/// At most `capacity` texts are kept; past that the least recently seen is forgotten first.
/// Each text keeps at most `authorLimit` authors; past that its oldest sighting is forgotten.
struct DuplicateTextTracker: Sendable {
    let window: Int64
    let capacity: Int
    let authorLimit: Int

    private struct Sighting: Sendable {
        var author: Int
        var at: Int64
    }

    private struct Entry: Sendable {
        var sightings: [Sighting]
        var touch: UInt64
    }

    /// A queue of (text, touch) in the order texts were seen. A text seen again is queued
    /// again; older queue items for it are stale (their touch no longer matches) and skipped.
    private struct Touch: Sendable {
        var key: Int
        var touch: UInt64
    }

    private var entries: [Int: Entry] = [:]
    private var queue: [Touch] = []
    private var queueHead = 0
    private var touches: UInt64 = 0

    init(window: Int64, capacity: Int, authorLimit: Int) {
        self.window = window
        self.capacity = capacity
        self.authorLimit = authorLimit
    }

    /// How many texts are remembered.
    var count: Int { entries.count }

    /// Records that `author` sent the text `key` at `time`; returns how many distinct authors
    /// sent it within the window up to `time`, this one included.
    mutating func record(text key: Int, author: Int, at time: Int64) -> Int {
        touches &+= 1
        let touch = touches
        let distinct: Int
        if let index = entries.index(forKey: key) {
            distinct = Self.update(&entries.values[index], author: author, at: time, touch: touch,
                                   window: window, limit: authorLimit)
        } else {
            entries[key] = Entry(sightings: [Sighting(author: author, at: time)], touch: touch)
            distinct = 1
        }
        queue.append(Touch(key: key, touch: touch))
        forgetOldest()
        compactQueue()
        return distinct
    }

    private static func update(
        _ entry: inout Entry, author: Int, at time: Int64, touch: UInt64, window: Int64, limit: Int
    ) -> Int {
        entry.touch = touch
        // One pass: drop sightings older than the window (out-of-order, older arrivals still
        // count), find this author, and note the oldest sighting in case the list is full.
        var kept = 0
        var found = false
        var oldest = 0
        for index in entry.sightings.indices {
            var sighting = entry.sightings[index]
            guard time - sighting.at <= window else { continue }
            if sighting.author == author {
                sighting.at = max(sighting.at, time)
                found = true
            }
            entry.sightings[kept] = sighting
            if sighting.at < entry.sightings[oldest].at { oldest = kept }
            kept += 1
        }
        entry.sightings.removeLast(entry.sightings.count - kept)
        if !found {
            if kept >= limit { entry.sightings.remove(at: oldest) }
            entry.sightings.append(Sighting(author: author, at: time))
        }
        return entry.sightings.count
    }

    private mutating func forgetOldest() {
        while entries.count > capacity, queueHead < queue.count {
            let oldest = queue[queueHead]
            queueHead += 1
            if entries[oldest.key]?.touch == oldest.touch { entries[oldest.key] = nil }
        }
    }

    /// Keeps the queue within a small multiple of `capacity`: drops consumed items, and when
    /// repeated sightings have piled up stale items, drops those too.
    private mutating func compactQueue() {
        if queueHead >= 1024, queueHead * 2 >= queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        if queue.count - queueHead > 2 * capacity + 1024 {
            let live = queue[queueHead...].filter { entries[$0.key]?.touch == $0.touch }
            queue = live
            queueHead = 0
        }
    }
}
