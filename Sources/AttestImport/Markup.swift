import AttestCore
import Foundation

/// Turns a cell or heading, written in markdown, HTML or Experience League markup, into plain text,
/// keeping the footnote markers it carried (`<sup>3</sup>`, `[^1]`, `(1)`).
enum Markup {
    struct Plain: Equatable {
        var text: String
        var footnotes: [String]
    }

    static func plain(_ raw: String) -> Plain {
        if !needsMarkupPass(raw) { return Plain(text: collapse(raw), footnotes: []) }
        var footnotes: [String] = []
        var text = raw
        if has(text, "\\") && text.contains("\\n") { text = text.replacingOccurrences(of: "\\n", with: " ") }
        if has(text, "<") {
            text = replace(text, pattern: #"<sup[^>]*>(.*?)</sup>"#) { groups in
                let marker = collapse(replace(groups[1], pattern: #"<[^>]*>"#) { _ in "" })
                if !marker.isEmpty { footnotes.append(marker) }
                return ""
            }
            text = replace(text, pattern: #"<br\s*/?>|</?p\b[^>]*>|</?li\b[^>]*>|</?div\b[^>]*>"#) { _ in " " }
            text = replace(text, pattern: #"<!--.*?-->|</?[A-Za-z][^>]*>"#) { _ in "" }
        }
        if has(text, "[") && text.contains("[^") {
            text = replace(text, pattern: #"\[\^([^\]]+)\]"#) { groups in
                footnotes.append(groups[1])
                return ""
            }
        }
        if has(text, "[") && text.contains("[!") {
            // Experience League tokens: [!DNL Adobe Commerce] -> Adobe Commerce.
            text = replace(text, pattern: #"\[!(?:DNL|UICONTROL|BADGE|ACTION)\s+([^\]]*)\]"#) { $0[1] }
        }
        if has(text, "{") {
            text = replace(text, pattern: #"\{\{\s*site\.data\.keyword\.([A-Za-z0-9_]+)\s*\}\}"#) { keyword($0[1]) }
            text = replace(text, pattern: #"\{\{[^}]*\}\}|\{:[^}]*\}|\{style=[^}]*\}|\{#[^}]*\}"#) { _ in "" }
        }
        if has(text, "]") && text.contains("](") {
            text = replace(text, pattern: #"!?\[([^\]]*)\]\([^)]*\)"#) { $0[1] }
        }
        if has(text, "(") {
            text = replace(text, pattern: #"\((\d{1,2})\)"#) { groups in
                footnotes.append(groups[1])
                return ""
            }
        }
        if has(text, "\\") { text = text.replacingOccurrences(of: "\\|", with: "|") }
        if has(text, "_") { text = text.replacingOccurrences(of: "__", with: "") }
        if has(text, "`") { text = text.replacingOccurrences(of: "`", with: "") }
        if has(text, "*") {
            text = text.replacingOccurrences(of: "**", with: "")
            text = text.replacingOccurrences(of: "\\*", with: "\u{0}").replacingOccurrences(of: "*", with: "")
                .replacingOccurrences(of: "\u{0}", with: "*")
        }
        if has(text, "\\") {
            // Markdown escapes: `\(stack\)` is `(stack)`.
            text = replace(text, pattern: #"\\([!-/:-@\[-`{-~])"#) { $0[1] }
        }
        text = decodeEntities(text)
        return Plain(text: collapse(text), footnotes: footnotes)
    }

    /// Whether `text` holds the ASCII character `character` (byte-wise; Foundation's `contains` is slow here).
    static func has(_ text: String, _ character: Unicode.Scalar) -> Bool {
        text.utf8.contains(UInt8(character.value))
    }

    /// `<p><sup>1</sup> text</p>` paragraphs of a footer cell, as (marker, text).
    static func footnoteParagraphs(_ html: String) -> [(String, String)] {
        guard html.contains("<sup") else { return [] }
        let pattern = regex(#"<sup>\s*(?:<[^>]*>)*\s*(\w{1,3})\s*(?:</[^>]*>)*\s*</sup>(.*?)(?=<sup>|$)"#)
        let ns = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            let text = plain(ns.substring(with: match.range(at: 2))).text
                .trimmingCharacters(in: CharacterSet(charactersIn: "—–-: "))
            return text.isEmpty ? nil : (ns.substring(with: match.range(at: 1)), text)
        }
    }

    /// `IBM_notm` -> `IBM`, `cloud_notm` -> `cloud`.
    static func keyword(_ name: String) -> String {
        var parts = name.split(separator: "_").map(String.init)
        while let last = parts.last, parts.count > 1, ["notm", "short", "full", "long"].contains(last.lowercased()) { parts.removeLast() }
        return parts.joined(separator: " ")
    }

    /// Whether `raw` holds anything `plain` rewrites (tags, entities, tokens, links, emphasis, escapes);
    /// most cells of a large matrix hold none, and skip the patterns.
    static func needsMarkupPass(_ raw: String) -> Bool {
        raw.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "("),
                 UInt8(ascii: "\\"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"): true
            default: false
            }
        }
    }

    /// White space runs to single spaces, none at the ends.
    static func collapse(_ text: String) -> String {
        // ASCII (most cells) is rebuilt byte by byte; other text goes through Character's notion of white space.
        var ascii = true
        var clean = true
        var previousSpace = true
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false; break }
            let space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if (space && previousSpace) || (space && byte != 0x20) { clean = false }
            previousSpace = space
        }
        guard ascii else { return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        if clean && !previousSpace { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` without spaces and tabs (and other Unicode spaces) at either end; cheap when there are none.
    static func trimmed<S: StringProtocol>(_ text: S) -> String where S.UTF8View: BidirectionalCollection {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return String(text) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The values a party or Responsibility cell lists: `<li>` items, `<br>`-separated parts, markdown `- `
    /// (or `* `, `+ `) lines; the whole cell when it lists nothing. Each value keeps its markup.
    static func values(_ raw: String) -> [String] {
        let hasTag = has(raw, "<")
        guard hasTag || raw.contains(where: \.isNewline) else { return [raw] }
        var text = raw
        if hasTag {
            text = replace(text, pattern: #"<br\s*/?>|</?li\b[^>]*>|</?[uo]l\b[^>]*>|</?p\b[^>]*>|</?div\b[^>]*>"#) { _ in "\n" }
        }
        let lines = text.split(whereSeparator: \.isNewline).map { line -> String in
            let trimmed = trimmed(line)
            for bullet in ["- ", "* ", "+ "] where trimmed.hasPrefix(bullet) {
                return String(trimmed.dropFirst(bullet.count))
            }
            return trimmed
        }.filter { !plain($0).text.isEmpty }
        return lines.count > 1 ? lines : [raw]
    }

    /// Decodes character references in one pass (so `&amp;lt;` stays `&lt;`): numeric ones, and the named
    /// ones pipe tables use. HTML tables arrive decoded by libxml2 (every HTML 4 entity); the HTML5-only names
    /// a RACI cell may hold (`&check;`) are here too.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        return replace(text, pattern: #"&(?:#([xX]?)([0-9A-Fa-f]{1,8})|([A-Za-z][A-Za-z0-9]{1,31}));"#) { groups in
            if !groups[2].isEmpty {
                let value = UInt32(groups[2], radix: groups[1].isEmpty ? 10 : 16)
                return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? groups[0]
            }
            return namedEntities[groups[3]] ?? groups[0]
        }
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "rsquo": "’", "lsquo": "‘", "ldquo": "“", "rdquo": "”", "hellip": "…", "check": "✓", "checkmark": "✓",
        "cross": "✗", "times": "×", "middot": "·", "bull": "•", "eacute": "é", "egrave": "è", "agrave": "à",
        "ccedil": "ç", "uuml": "ü", "ouml": "ö", "auml": "ä", "szlig": "ß", "copy": "©", "reg": "®", "trade": "™",
    ]

    /// Replaces each match of `pattern`; `transform` gets the whole match and its groups.
    static func replace(_ text: String, pattern: String, _ transform: ([String]) -> String) -> String {
        let regex = Self.regex(pattern)
        let ns = text as NSString
        var result = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
            result += transform(groups)
            last = match.range.location + match.range.length
        }
        if last == 0 { return text }
        return result + ns.substring(from: last)
    }

    /// Compiled patterns, shared across threads.
    private static let compiled = Locked<[String: NSRegularExpression]>([:])

    static func regex(_ pattern: String) -> NSRegularExpression {
        compiled.withLock { cache in
            if let regex = cache[pattern] { return regex }
            // The patterns are this module's own constants: one that does not compile is a bug here.
            let regex = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators])
            cache[pattern] = regex
            return regex
        }
    }
}
