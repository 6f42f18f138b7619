/// twitter-text's last check on a matched URL (`isValidUrl` with its small `idna.toAscii`): a domain
/// beginning `xn--` must hold an ASCII domain, every label encoded as punycode must be 1 to 63
/// characters, and the URL with a scheme must fit in 4096 UTF-16 units. A failing match is dropped,
/// so an over-long label makes the whole URL count character by character.
enum DomainLabels {
    static let maximumLabelLength = 63
    static let maximumURLLength = 4096

    static func isValid(_ grammar: DomainGrammar, domain: Range<Int>, url: Range<Int>, schemeLength: Int) -> Bool {
        let text = grammar.text
        if text[domain.lowerBound..<min(domain.lowerBound + 4, domain.upperBound)].elementsEqual("xn--".unicodeScalars),
           grammar.nextASCIIDomain(in: domain, from: domain.lowerBound) == nil {
            return false
        }
        var labelStart = domain.lowerBound
        for index in domain.lowerBound...domain.upperBound where index == domain.upperBound || text[index] == "." {
            guard (1...maximumLabelLength).contains(encodedLength(text[labelStart..<index])) else { return false }
            labelStart = index + 1
        }
        let utf16Length = text[url].reduce(0) { $0 + ($1.value > 0xFFFF ? 2 : 1) }
        return schemeLength + utf16Length <= maximumURLLength
    }

    /// punycode.toASCII's length for one label: it splits again on the other IDNA dots (。．｡), keeps
    /// ASCII parts and writes `xn--` plus the encoding for the others.
    static func encodedLength(_ label: ArraySlice<Unicode.Scalar>) -> Int {
        var total = 0, partStart = label.startIndex
        for index in label.startIndex...label.endIndex {
            guard index == label.endIndex || isIDNADot(label[index]) else { continue }
            let part = label[partStart..<index]
            // Encoding never shortens, so a part over the limit needs no encoding to be rejected.
            if part.count > maximumLabelLength {
                total += part.count
            } else {
                total += part.allSatisfy { $0.value < 0x7F } ? part.count : 4 + punycodeLength(part)
            }
            if index < label.endIndex { total += 1 }
            partStart = index + 1
        }
        return total
    }

    private static func isIDNADot(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x3002 || scalar.value == 0xFF0E || scalar.value == 0xFF61
    }

    /// The length of RFC 3492 punycode for these code points (the digits themselves are not needed).
    static func punycodeLength(_ input: ArraySlice<Unicode.Scalar>) -> Int {
        let base = 36, tMin = 1, tMax = 26
        var basicCount = 0
        for scalar in input where scalar.value < 0x80 { basicCount += 1 }
        var length = basicCount + (basicCount > 0 ? 1 : 0)
        var n: UInt32 = 0x80, delta = 0, bias = 72, handled = basicCount
        while handled < input.count {
            var next = UInt32.max
            for scalar in input where scalar.value >= n && scalar.value < next { next = scalar.value }
            delta += Int(next - n) * (handled + 1)
            n = next
            for scalar in input {
                let value = scalar.value
                if value < n { delta += 1 }
                guard value == n else { continue }
                var q = delta, k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    length += 1
                    q = (q - t) / (base - t)
                    k += base
                }
                length += 1
                bias = adapt(delta: delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return length
    }

    private static func adapt(delta: Int, points: Int, first: Bool) -> Int {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
