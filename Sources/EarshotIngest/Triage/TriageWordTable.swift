/// Word bytes to word ids: open addressing on a 64-bit FNV-1a hash, bytes compared on a
/// hit. The scan hashes each token while reading it, so a lookup is a probe or two and no
/// `String` is ever built for a token.
struct TriageWordTable: Sendable {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.reduce(offsetBasis, mix) }

    /// Number of words.
    let count: Int
    /// Longer tokens cannot be words of the table; they skip the probe.
    let longestWord: Int
    private let slots: [Int32]
    private let mask: Int
    private let hashes: [UInt64]
    /// All words' bytes back to back; word `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int32]

    /// `words[i]` gets id `i`; the words must be distinct.
    init(_ words: [[UInt8]]) {
        var size = 16
        while size < words.count * 4 { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        var starts: [Int32] = [0]
        var bytes: [UInt8] = []
        let hashes = words.map(Self.hash)
        for (id, word) in words.enumerated() {
            bytes += word
            starts.append(Int32(bytes.count))
            var slot = Int(truncatingIfNeeded: hashes[id]) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(id)
        }
        self.count = words.count
        self.longestWord = words.map(\.count).max() ?? 0
        self.slots = slots
        self.mask = size - 1
        self.hashes = hashes
        self.bytes = bytes
        self.starts = starts
    }

    /// The id of the word in `text[start..<end]` whose FNV-1a hash is `hash`, or -1.
    @inline(__always)
    func id(hash: UInt64, in text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Int32 {
        let length = end - start
        guard length <= longestWord else { return -1 }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return -1 }
            if hashes[Int(id)] == hash {
                let wordStart = Int(starts[Int(id)])
                if Int(starts[Int(id) + 1]) - wordStart == length {
                    var same = true
                    for offset in 0..<length where bytes[wordStart + offset] != text[start + offset] {
                        same = false
                        break
                    }
                    if same { return id }
                }
            }
            slot = (slot + 1) & mask
        }
    }
}
