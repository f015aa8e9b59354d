import Foundation

/// Finds the tables of a page: markdown pipe tables and HTML tables (several per page, each with its
/// nearest heading), or the one table of a CSV file.
struct MatrixDocument {
    var tables: [RawTable]
    /// Page-wide footnote definitions (`[^1]: text`).
    var footnotes: [String: String]
    /// The page's first top-level heading, if any.
    var title: String?

    static func parse(text: String, fileName: String, path: String) throws -> MatrixDocument {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") {
            let table = try CSVReader.table(text: text, separator: lower.hasSuffix(".tsv") ? "\t" : ",", path: path)
            return MatrixDocument(tables: [table], footnotes: [:], title: nil)
        }
        return MarkdownScanner(text: text).scan()
    }
}

/// Walks a markdown (or HTML) page line by line.
struct MarkdownScanner {
    let lines: [String]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
    }

    func scan() -> MatrixDocument {
        var tables: [RawTable] = []
        var footnotes: [String: String] = [:]
        var section = ""
        var title: String?
        var index = 0
        // YAML front matter is not page text.
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            index = 1
            while index < lines.count && lines[index].trimmingCharacters(in: .whitespaces) != "---" { index += 1 }
            index += 1
        }
        var fence: String?
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                index += 1
                continue
            }
            if let heading = Self.heading(trimmed) {
                if title == nil && trimmed.hasPrefix("# ") { title = heading }
                section = heading
                index += 1
                continue
            }
            if let definition = Self.footnoteDefinition(trimmed) {
                footnotes[definition.marker] = definition.text
                index += 1
                continue
            }
            if trimmed.range(of: "<table", options: .caseInsensitive) != nil {
                let (table, next) = htmlTable(from: index, section: section)
                if let table { tables.append(table) }
                index = next
                continue
            }
            if trimmed.contains("|"), index + 1 < lines.count, Self.isSeparatorRow(lines[index + 1]) {
                let (table, next) = pipeTable(from: index, section: section)
                tables.append(table)
                index = next
                continue
            }
            index += 1
        }
        return MatrixDocument(tables: tables, footnotes: footnotes, title: title)
    }

    // MARK: Headings and footnotes

    static func heading(_ trimmed: String) -> String? {
        if trimmed.hasPrefix("#") {
            let level = trimmed.prefix(while: { $0 == "#" }).count
            guard level <= 6 else { return nil }
            let rest = trimmed.dropFirst(level)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
            var text = rest.trimmingCharacters(in: .whitespaces)
            while text.hasSuffix("#") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
            return Markup.plain(text).text
        }
        let match = Markup.regex(#"^<h[1-6][^>]*>(.*?)</h[1-6]>$"#)
        let ns = trimmed as NSString
        if let found = match.firstMatch(in: trimmed, range: NSRange(location: 0, length: ns.length)) {
            return Markup.plain(ns.substring(with: found.range(at: 1))).text
        }
        return nil
    }

    static func footnoteDefinition(_ trimmed: String) -> (marker: String, text: String)? {
        guard trimmed.hasPrefix("[^"), let close = trimmed.range(of: "]:") else { return nil }
        let marker = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close.lowerBound])
        return (marker, Markup.plain(String(trimmed[close.upperBound...])).text)
    }

    /// A footnote written right after a table: `<sup>1</sup>—text`, `*(1) text*`, `(1) text`, `¹ text`.
    static func trailingFootnote(_ trimmed: String) -> (marker: String, text: String)? {
        let pattern = Markup.regex(#"^[*_]*\s*(?:<sup>\s*(?:<[^>]*>)*\s*(\w{1,3})\s*(?:</[^>]*>)*\s*</sup>|\((\d{1,2})\)|\\?\*(\d{1,2}))\s*[—–:.-]?\s*(.+)$"#)
        let ns = trimmed as NSString
        guard let match = pattern.firstMatch(in: trimmed, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let marker = (1...3).lazy.map { match.range(at: $0) }.first { $0.location != NSNotFound }.map { ns.substring(with: $0) } ?? ""
        let text = Markup.plain(ns.substring(with: match.range(at: 4))).text
        return text.isEmpty ? nil : (marker, text.trimmingCharacters(in: CharacterSet(charactersIn: "*_ ")))
    }

    // MARK: Pipe tables

    static func isSeparatorRow(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("-"), trimmed.contains("|") || trimmed.hasPrefix("-") else { return false }
        let cells = splitPipeRow(trimmed).map { $0.text.trimmingCharacters(in: .whitespaces) }
        return !cells.isEmpty && cells.allSatisfy { cell in
            !cell.isEmpty && cell.allSatisfy { $0 == "-" || $0 == ":" } && cell.contains("-")
        }
    }

    /// Splits `| a | b |` on unescaped pipes, keeping each cell's 1-based column in the line.
    static func splitPipeRow(_ line: String) -> [(text: String, column: Int)] {
        var cells: [(String, Int)] = []
        var current = ""
        var start = 1
        var column = 0
        var escaped = false
        var inCode = false
        let leadingSpaces = line.prefix(while: { $0 == " " || $0 == "\t" }).count
        for character in line {
            column += 1
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" {
                current.append(character)
                escaped = true
                continue
            }
            if character == "`" { inCode.toggle() }
            if character == "|" && !inCode {
                cells.append((current, start))
                current = ""
                start = column + 1
                continue
            }
            current.append(character)
        }
        cells.append((current, start))
        // A leading and a trailing pipe delimit the row; they do not open empty cells.
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|"), let first = cells.first, first.0.trimmingCharacters(in: .whitespaces).isEmpty,
           first.1 <= leadingSpaces + 1 {
            cells.removeFirst()
        }
        if trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|"), let last = cells.last, last.0.trimmingCharacters(in: .whitespaces).isEmpty {
            cells.removeLast()
        }
        return cells.map { (text: $0.0, column: $0.1 + $0.0.prefix(while: { $0 == " " }).count) }
    }

    func pipeTable(from start: Int, section: String) -> (RawTable, Int) {
        let header = Self.splitPipeRow(lines[start]).map(\.text)
        var rows: [RawTable.Row] = []
        var index = start + 2
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.contains("|"), Self.heading(trimmed) == nil else { break }
            let cells = Self.splitPipeRow(lines[index])
            rows.append(RawTable.Row(cells: cells.map(\.text), line: index + 1, columns: cells.map(\.column)))
            index += 1
        }
        let (footnotes, next) = trailingFootnotes(from: index)
        return (RawTable(header: header, rows: rows, line: start + 1, section: section, footnotes: footnotes), next)
    }

    /// Footnotes and `{style=…}` lines right after a table (blank lines between them allowed).
    func trailingFootnotes(from start: Int) -> ([String: String], Int) {
        var footnotes: [String: String] = [:]
        var index = start
        var consumed = start
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("{style=") || trimmed.hasPrefix("{:") {
                index += 1
                continue
            }
            var matched = false
            for part in trimmed.components(separatedBy: "<br>") {
                if let footnote = Self.trailingFootnote(part.trimmingCharacters(in: .whitespaces)) {
                    footnotes[footnote.marker] = footnote.text
                    matched = true
                }
            }
            guard matched else { break }
            index += 1
            consumed = index
        }
        return (footnotes, footnotes.isEmpty ? start : consumed)
    }

    // MARK: HTML tables

    func htmlTable(from start: Int, section: String) -> (RawTable?, Int) {
        // Gather the table's text with a map from offsets back to lines.
        var text = ""
        var lineStarts: [(offset: Int, line: Int)] = []
        var index = start
        var depth = 0
        repeat {
            lineStarts.append((text.utf16.count, index + 1))
            let line = lines[index]
            text += line + "\n"
            depth += Self.count(of: "<table", in: line) - Self.count(of: "</table", in: line)
            index += 1
        } while index < lines.count && depth > 0
        let parsed = HTMLTableParser.parse(text)
        func lineNumber(_ offset: Int) -> Int { lineStarts.last { $0.offset <= offset }?.line ?? start + 1 }
        guard let headerRow = parsed.header else { return (nil, index) }
        let rows = parsed.rows.map { row in
            RawTable.Row(cells: row.cells.map(\.text), line: lineNumber(row.offset), columns: row.cells.map { _ in 1 })
        }
        var footnotes = parsed.footnotes
        let (after, next) = trailingFootnotes(from: index)
        footnotes.merge(after) { first, _ in first }
        let table = RawTable(header: headerRow.cells.map(\.text), rows: rows, line: lineNumber(headerRow.offset),
                             section: section, footnotes: footnotes)
        return (table, next)
    }

    static func count(of needle: String, in line: String) -> Int {
        line.lowercased().components(separatedBy: needle).count - 1
    }
}

/// A small tolerant reader for the HTML tables found in documentation pages.
enum HTMLTableParser {
    struct Cell { var text: String; var span: Int }
    struct Row { var cells: [Cell]; var offset: Int; var isHeader: Bool }
    struct Result { var header: Row?; var rows: [Row]; var footnotes: [String: String] }

    static func parse(_ html: String) -> Result {
        let ns = html as NSString
        let rowPattern = Markup.regex(#"<tr\b[^>]*>(.*?)(?=<tr\b|</tbody|</thead|</tfoot|</table|$)"#)
        let cellPattern = Markup.regex(#"<(td|th)\b([^>]*)>(.*?)(?:</(?:td|th)>|(?=<t[dh]\b)|$)"#)
        let sectionPattern = Markup.regex(#"<(thead|tbody|tfoot)\b"#)
        let sections = sectionPattern.matches(in: html, range: NSRange(location: 0, length: ns.length))
            .map { ($0.range.location, ns.substring(with: $0.range(at: 1)).lowercased()) }
        var header: Row?
        var rows: [Row] = []
        var footnotes: [String: String] = [:]
        for match in rowPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let body = ns.substring(with: match.range(at: 1))
            let bodyNS = body as NSString
            var cells: [Cell] = []
            var isHeaderRow = true
            for cellMatch in cellPattern.matches(in: body, range: NSRange(location: 0, length: bodyNS.length)) {
                let tag = bodyNS.substring(with: cellMatch.range(at: 1)).lowercased()
                if tag == "td" { isHeaderRow = false }
                let attributes = bodyNS.substring(with: cellMatch.range(at: 2))
                var span = 1
                if let spanMatch = Markup.regex(#"colspan\s*=\s*"?(\d+)"#).firstMatch(in: attributes, range: NSRange(location: 0, length: (attributes as NSString).length)) {
                    span = Int((attributes as NSString).substring(with: spanMatch.range(at: 1))) ?? 1
                }
                cells.append(Cell(text: bodyNS.substring(with: cellMatch.range(at: 3)), span: span))
            }
            if cells.isEmpty { continue }
            let part = sections.last { $0.0 < match.range.location }?.1 ?? "tbody"
            let row = Row(cells: cells, offset: match.range.location, isHeader: isHeaderRow || part == "thead")
            if part == "tfoot" || (cells.count == 1 && cells[0].span > 1 && header != nil) {
                for (marker, text) in footnoteParagraphs(cells.map(\.text).joined(separator: " ")) { footnotes[marker] = text }
                continue
            }
            if header == nil {
                header = row
            } else {
                rows.append(row)
            }
        }
        return Result(header: header, rows: rows, footnotes: footnotes)
    }

    /// `<p><sup>1</sup> text</p>` paragraphs of a footer cell.
    static func footnoteParagraphs(_ html: String) -> [(String, String)] {
        let pattern = Markup.regex(#"<sup>\s*(?:<[^>]*>)*\s*(\w{1,3})\s*(?:</[^>]*>)*\s*</sup>(.*?)(?=<sup>|$)"#)
        let ns = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            let text = Markup.plain(ns.substring(with: match.range(at: 2))).text
                .trimmingCharacters(in: CharacterSet(charactersIn: "—–-: "))
            return text.isEmpty ? nil : (ns.substring(with: match.range(at: 1)), text)
        }
    }
}
