import AttestCore

/// Text that XML 1.0 can carry. Control characters, line separators and bidi controls are shown escaped and
/// visible as everywhere attest shows text to people (`VisibleText`: `\e`, `\t`, `\u{202E}`), except the
/// line feed in element text, which the report uses between the lines of one text (attributes are one line,
/// so there it is escaped too); non-characters and the "discouraged" compatibility characters that some
/// consumers reject are removed.
enum XMLText {
    static func clean(_ text: String, keepingLineFeeds: Bool = true) -> String {
        // Most report text is printable ASCII (IDs, dates, hashes, addresses): nothing to change.
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.allSatisfy { (0x20...0x7E).contains($0) || (keepingLineFeeds && $0 == 0x0A) }
        }
        if plain == true { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if VisibleText.isEscaped(scalar) && !(keepingLineFeeds && scalar == "\n") {
                result.append(contentsOf: VisibleText.escape(scalar).unicodeScalars)
            } else if isAllowed(scalar.value) {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0x7E: true
        case 0x7F...0x9F: false
        case 0xA0...0xD7FF: true
        case 0xE000...0xFFFD: !(0xFDD0...0xFDEF).contains(value)
        case 0x10000...0x10FFFF: (value & 0xFFFE) != 0xFFFE
        default: false
        }
    }
}
