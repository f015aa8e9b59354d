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
        var footnotes: [String] = []
        var text = raw
        if text.contains("\\n") { text = text.replacingOccurrences(of: "\\n", with: " ") }
        if text.contains("<") {
            text = replace(text, pattern: #"<sup[^>]*>(.*?)</sup>"#) { groups in
                let marker = collapse(replace(groups[1], pattern: #"<[^>]*>"#) { _ in "" })
                if !marker.isEmpty { footnotes.append(marker) }
                return ""
            }
            text = replace(text, pattern: #"<br\s*/?>|</?p\b[^>]*>|</?li\b[^>]*>|</?div\b[^>]*>"#) { _ in " " }
            text = replace(text, pattern: #"<!--.*?-->|</?[A-Za-z][^>]*>"#) { _ in "" }
        }
        if text.contains("[^") {
            text = replace(text, pattern: #"\[\^([^\]]+)\]"#) { groups in
                footnotes.append(groups[1])
                return ""
            }
        }
        if text.contains("[!") {
            // Experience League tokens: [!DNL Adobe Commerce] -> Adobe Commerce.
            text = replace(text, pattern: #"\[!(?:DNL|UICONTROL|BADGE|ACTION)\s+([^\]]*)\]"#) { $0[1] }
        }
        if text.contains("{") {
            text = replace(text, pattern: #"\{\{\s*site\.data\.keyword\.([A-Za-z0-9_]+)\s*\}\}"#) { keyword($0[1]) }
            text = replace(text, pattern: #"\{\{[^}]*\}\}|\{:[^}]*\}|\{style=[^}]*\}|\{#[^}]*\}"#) { _ in "" }
        }
        if text.contains("](") {
            text = replace(text, pattern: #"!?\[([^\]]*)\]\([^)]*\)"#) { $0[1] }
        }
        text = replace(text, pattern: #"\((\d{1,2})\)"#) { groups in
            footnotes.append(groups[1])
            return ""
        }
        text = text.replacingOccurrences(of: "\\|", with: "|")
        text = text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            .replacingOccurrences(of: "`", with: "")
        text = text.replacingOccurrences(of: "\\*", with: "\u{0}").replacingOccurrences(of: "*", with: "")
            .replacingOccurrences(of: "\u{0}", with: "*")
        text = decodeEntities(text)
        return Plain(text: collapse(text), footnotes: footnotes)
    }

    /// `IBM_notm` -> `IBM`, `cloud_notm` -> `cloud`.
    static func keyword(_ name: String) -> String {
        var parts = name.split(separator: "_").map(String.init)
        while let last = parts.last, parts.count > 1, ["notm", "short", "full", "long"].contains(last.lowercased()) { parts.removeLast() }
        return parts.joined(separator: " ")
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&nbsp;": " ",
                     "&ndash;": "–", "&mdash;": "—", "&rsquo;": "’", "&lsquo;": "‘", "&ldquo;": "“", "&rdquo;": "”", "&hellip;": "…"]
        var result = replace(text, pattern: #"&#(x?)([0-9A-Fa-f]+);"#) { groups in
            let value = UInt32(groups[2], radix: groups[1].isEmpty ? 10 : 16)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? groups[0]
        }
        for (entity, character) in named where result.contains(entity) {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result
    }

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
