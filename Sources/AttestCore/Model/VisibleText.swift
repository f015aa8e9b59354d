/// Text from records and matrices as attest shows it to people: every character that could move the cursor,
/// clear or recolour a terminal, break a line or reorder what is read is shown escaped and visible, so one
/// record is one line in `log` and nothing in a record can forge output. The same escaping is used in terminal
/// text, the markdown report and JUnit; JSON output stays exact.
///
/// The set (the contract's): Unicode Cc (C0, DEL, C1), U+2028–2029 (line and paragraph separators),
/// U+202A–202E and U+2066–2069 (bidi embeddings, overrides and isolates). Shown as `\n`, `\r`, `\t`, `\e`
/// (ESC) and `\u{202E}` (uppercase hex, at least two digits) for the rest. Everything else, backslashes
/// included, is left as it is, so ordinary text reads exactly as before.
public enum VisibleText {
    /// Whether `scalar` is one of the characters shown escaped.
    @inline(__always)
    public static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        isEscaped(scalar.value)
    }

    @inline(__always)
    static func isEscaped(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// How one escaped character is shown.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x1B: return "\\e"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
        }
    }

    /// `text` with every character of the set escaped; the same string when there is none (the common case,
    /// checked on bytes: only bytes below 0x20, 0x7F and the lead bytes 0xC2 and 0xE2 can start one).
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        guard text.unicodeScalars.contains(where: isEscaped) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isEscaped(scalar) { result += escape(scalar) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Text that may span several lines by design (a diagnostic, a block of output): each line's content is
    /// escaped, the line feeds between them are kept.
    public static func escapeKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }
}

extension String {
    /// This text with control characters, line separators and bidi controls shown escaped (`VisibleText`).
    public var visible: String { VisibleText.escape(self) }
}
