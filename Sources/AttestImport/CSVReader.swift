/// RFC 4180 CSV (or TSV) read from bytes: quoted cells with doubled quotes, newlines inside quotes, LF, CRLF
/// or CR line endings, an optional UTF-8 byte order mark.
enum CSVReader {
    static func table(data: some Collection<UInt8>, separator: UInt8, path: String) throws -> RawTable {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [RawTable.Row] = []
        var cells: [String] = []
        var columns: [Int] = []
        var cell: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var line = 1
        var column = 0
        var recordLine = 1
        var cellColumn = 1
        var quoteLine = 1
        var quoteColumn = 1

        func endCell() throws {
            guard let text = String(validating: cell, as: UTF8.self) else { throw ImportError.notText(path: path, line: line) }
            cells.append(text)
            columns.append(cellColumn)
            cell.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() throws {
            try endCell()
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(RawTable.Row(cells: cells, line: recordLine, columns: columns))
            }
            cells = []
            columns = []
        }

        var bytes = data.makeIterator()
        var pending: UInt8?
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { for _ in 0..<3 { _ = bytes.next() } }
        while let byte = pending ?? bytes.next() {
            pending = nil
            // Columns count characters: continuation bytes of a UTF-8 sequence do not move the column.
            if byte & 0xC0 != 0x80 { column += 1 }
            if quoted {
                if byte == quote {
                    if let next = bytes.next() {
                        if next == quote {
                            cell.append(quote)
                            column += 1
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else if byte == cr || byte == lf {
                    if byte == cr, let next = bytes.next(), next != lf { pending = next }
                    cell.append(lf)
                    line += 1
                    column = 0
                } else {
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case quote where cell.isEmpty && !afterQuote:
                quoted = true
                quoteLine = line
                quoteColumn = column
            case separator:
                try endCell()
                cellColumn = column + 1
            case lf, cr:
                if byte == cr, let next = bytes.next(), next != lf { pending = next }
                try endRecord()
                line += 1
                column = 0
                recordLine = line
                cellColumn = 1
            default:
                if afterQuote && ![0x20, 0x09].contains(byte) {
                    throw ImportError.malformedCSV(path: path, line: line, column: column,
                                                   detail: "text after a closing quote; double the quote (\"\") inside a quoted cell")
                }
                if !afterQuote { cell.append(byte) }
            }
        }
        if quoted {
            throw ImportError.malformedCSV(path: path, line: quoteLine, column: quoteColumn,
                                           detail: "quoted cell is never closed; add the closing \"")
        }
        if !cell.isEmpty || !cells.isEmpty { try endRecord() }
        guard let header = records.first else {
            return RawTable(header: [], rows: [], line: 1, section: "", footnotes: [:])
        }
        return RawTable(header: header.cells, rows: Array(records.dropFirst()), line: header.line, section: "", footnotes: [:])
    }
}
