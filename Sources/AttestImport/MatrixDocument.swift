import Foundation

/// Finds the tables of a page: markdown pipe tables and HTML tables (several per page, each with its
/// nearest heading), or the one table of a CSV file.
struct MatrixDocument {
    var tables: [RawTable]
    /// Page-wide footnote definitions (`[^1]: text`).
    var footnotes: [String: String]
    /// The page's first top-level heading, if any.
    var title: String?

    /// Reads a page's bytes: CSV or TSV by extension, a whole HTML page (`.html`, `.htm`, or bytes that
    /// start with `<!DOCTYPE html` or `<html`) through libxml2, else markdown with pipe and HTML tables.
    static func parse(data: Data, fileName: String, path: String) throws -> MatrixDocument {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") {
            let table = try CSVReader.table(data: data, separator: lower.hasSuffix(".tsv") ? UInt8(ascii: "\t") : UInt8(ascii: ","), path: path)
            return MatrixDocument(tables: [table], footnotes: [:], title: nil)
        }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || isHTMLPage(data) {
            if String(validating: data, as: UTF8.self) == nil { throw ImportError.notText(path: path, line: nil) }
            let page = try HTMLDocument(data: data, path: path)
            let tables = try page.tables().compactMap { try $0.grid(path: path, lineOffset: 0) }
            return MatrixDocument(tables: tables, footnotes: [:], title: page.title)
        }
        return try MarkdownScanner(data: data, path: path).scan()
    }

    /// `<!DOCTYPE html` or `<html` first (after a BOM and white space), in any case.
    static func isHTMLPage(_ data: Data) -> Bool {
        var bytes = data.prefix(1024)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let start = bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains($0) }.prefix(14)
            .map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return start.starts(with: Array("<!doctype html".utf8)) || start.starts(with: Array("<html".utf8))
    }
}

/// Walks a markdown (or HTML) page line by line.
struct MarkdownScanner {
    let lines: [String]
    let path: String

    /// Splits the page into lines at LF, CRLF or CR, after an optional UTF-8 byte order mark.
    init(data: Data, path: String) throws {
        self.path = path
        lines = try Self.lines(of: data, path: path)
    }

    static func lines(of data: Data, path: String) throws -> [String] {
        try data.withUnsafeBytes { raw -> [String] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            var lines: [String] = []
            func line(_ end: Int) throws {
                guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) else {
                    throw ImportError.notText(path: path, line: lines.count + 1)
                }
                lines.append(text)
            }
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    try line(index)
                    if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                    start = index + 1
                }
                index += 1
            }
            try line(bytes.count)
            return lines
        }
    }

    func scan() throws -> MatrixDocument {
        var tables: [RawTable] = []
        var footnotes: [String: String] = [:]
        var section = ""
        var title: String?
        var index = 0
        // YAML front matter is not page text.
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            index = 1
            while index < lines.count && Markup.trimmed(lines[index]) != "---" { index += 1 }
            index += 1
        }
        var fence: String?
        while index < lines.count {
            let line = lines[index]
            let trimmed = Markup.trimmed(line)
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
            if Self.opensTable(trimmed) {
                let (found, next) = try htmlTables(from: index, section: section)
                tables.append(contentsOf: found)
                index = next
                continue
            }
            if trimmed.utf8.contains(UInt8(ascii: "|")), index + 1 < lines.count, Self.isSeparatorRow(lines[index + 1]) {
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
            var text = Markup.trimmed(rest)
            while text.hasSuffix("#") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
            return Markup.plain(text).text
        }
        guard trimmed.hasPrefix("<") else { return nil }  // most lines: no pattern to run
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
        let trimmed = Markup.trimmed(line)
        guard trimmed.contains("-"), trimmed.contains("|") || trimmed.hasPrefix("-") else { return false }
        let cells = splitPipeRow(trimmed).map { Markup.trimmed($0.text) }
        return !cells.isEmpty && cells.allSatisfy { cell in
            !cell.isEmpty && cell.allSatisfy { $0 == "-" || $0 == ":" } && cell.contains("-")
        }
    }

    /// Splits `| a | b |` on unescaped pipes, keeping each cell's 1-based column in the line.
    static func splitPipeRow(_ line: String) -> [(text: String, column: Int)] {
        // Byte-wise: the characters that matter (`|`, `\`, `` ` ``) are ASCII; columns count Unicode scalars.
        var cells: [(String, Int)] = []
        let bytes = Array(line.utf8)
        var cellStart = 0
        var start = 1
        var column = 0
        var escaped = false
        var inCode = false
        let leadingSpaces = bytes.prefix { $0 == 0x20 || $0 == 0x09 }.count
        for (index, byte) in bytes.enumerated() {
            if byte & 0xC0 != 0x80 { column += 1 }
            if escaped {
                escaped = false
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                escaped = true
            case UInt8(ascii: "`"):
                inCode.toggle()
            case UInt8(ascii: "|") where !inCode:
                cells.append((String(decoding: bytes[cellStart..<index], as: UTF8.self), start))
                cellStart = index + 1
                start = column + 1
            default:
                break
            }
        }
        cells.append((String(decoding: bytes[cellStart...], as: UTF8.self), start))
        // A leading and a trailing pipe delimit the row; they do not open empty cells.
        let trimmed = Markup.trimmed(line)
        if trimmed.hasPrefix("|"), let first = cells.first, Markup.trimmed(first.0).isEmpty,
           first.1 <= leadingSpaces + 1 {
            cells.removeFirst()
        }
        if trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|"), let last = cells.last, Markup.trimmed(last.0).isEmpty {
            cells.removeLast()
        }
        return cells.map { (text: $0.0, column: $0.1 + $0.0.prefix(while: { $0 == " " }).count) }
    }

    func pipeTable(from start: Int, section: String) -> (RawTable, Int) {
        let header = Self.splitPipeRow(lines[start]).map(\.text)
        var rows: [RawTable.Row] = []
        var index = start + 2
        while index < lines.count {
            let trimmed = Markup.trimmed(lines[index])
            guard !trimmed.isEmpty, trimmed.utf8.contains(UInt8(ascii: "|")), Self.heading(trimmed) == nil else { break }
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
            let trimmed = Markup.trimmed(lines[index])
            if trimmed.isEmpty || trimmed.hasPrefix("{style=") || trimmed.hasPrefix("{:") {
                index += 1
                continue
            }
            var matched = false
            for part in trimmed.components(separatedBy: "<br>") {
                if let footnote = Self.trailingFootnote(Markup.trimmed(part)) {
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

    /// The HTML table that starts on line `start` (and the tables nested in it), parsed by libxml2; the
    /// footnotes written right after it are the outer table's.
    func htmlTables(from start: Int, section: String) throws -> ([RawTable], Int) {
        var index = start
        var depth = 0
        var chunk = ""
        repeat {
            let line = lines[index]
            chunk += line + "\n"
            depth += Self.count(of: "<table", in: line) - Self.count(of: "</table", in: line)
            index += 1
        } while index < lines.count && depth > 0
        let page = try HTMLDocument(data: Data(chunk.utf8), path: path)
        var tables: [RawTable] = []
        for table in page.tables() {
            guard var read = try table.grid(path: path, lineOffset: start) else { continue }
            read.section = section
            tables.append(read)
        }
        let (after, next) = trailingFootnotes(from: index)
        if !tables.isEmpty { tables[0].footnotes.merge(after) { first, _ in first } }
        return (tables, tables.isEmpty ? index : next)
    }

    /// Whether `line` holds `<table` in any case (byte-wise; most lines do not).
    static func opensTable(_ line: String) -> Bool {
        let needle = Array("<table".utf8)
        var matched = 0
        for byte in line.utf8 {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if lower == needle[matched] {
                matched += 1
                if matched == needle.count { return true }
            } else {
                matched = lower == needle[0] ? 1 : 0
            }
        }
        return false
    }

    static func count(of needle: String, in line: String) -> Int {
        line.lowercased().components(separatedBy: needle).count - 1
    }
}

