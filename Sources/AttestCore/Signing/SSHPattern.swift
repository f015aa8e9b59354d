/// OpenSSH's pattern lists (`match_pattern_list` in match.c), byte for byte and case-sensitive: comma-separated
/// patterns with `*` (any bytes) and `?` (one byte); a pattern starting with `!` is a negation.
enum SSHPattern {
    enum Match: Equatable {
        /// A negated pattern matched: the list refuses the string, whatever else matches.
        case negated
        case none
        case positive
    }

    /// OpenSSH copies each pattern into a 1024-byte buffer and gives up (no match) on a longer one.
    static let maximumPatternLength = 1022

    static func matchList(_ string: some Collection<UInt8>, _ list: some Collection<UInt8>) -> Match {
        let text = Array(string)
        var gotPositive = false
        var rest = Array(list)[...]
        while !rest.isEmpty {
            var negated = false
            if rest.first == UInt8(ascii: "!") {
                negated = true
                rest = rest.dropFirst()
            }
            let comma = rest.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            let pattern = rest[rest.startIndex..<comma]
            if pattern.count > maximumPatternLength { return .none }
            rest = comma < rest.endIndex ? rest[(comma + 1)...] : rest[rest.endIndex...]
            if matches(text, Array(pattern)) {
                if negated { return .negated }
                gotPositive = true
            }
        }
        return gotPositive ? .positive : .none
    }

    /// `match_pattern`: `*` any run of bytes, `?` exactly one byte, everything else itself. Iterative, so a
    /// hostile pattern cannot make it exponential.
    static func matches(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        var t = 0, p = 0
        var starAt = -1, resumeAt = 0
        while t < text.count {
            if p < pattern.count && pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if p < pattern.count && (pattern[p] == question || pattern[p] == text[t]) {
                t += 1
                p += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
