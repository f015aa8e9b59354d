/// RFC 4180 CSV: quoted cells with doubled quotes, newlines inside quotes, CRLF or LF.
enum CSVReader {
    static func table(text: String, separator: Character, path: String) throws -> RawTable {
        var records: [RawTable.Row] = []
        var cells: [String] = []
        var columns: [Int] = []
        var cell = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var column = 0
        var recordLine = 1
        var cellColumn = 1
        var quoteLine = 1
        var quoteColumn = 1

        func endCell() {
            cells.append(cell)
            columns.append(cellColumn)
            cell = ""
            afterQuote = false
        }
        func endRecord() {
            endCell()
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(RawTable.Row(cells: cells, line: recordLine, columns: columns))
            }
            cells = []
            columns = []
        }

        var iterator = text.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            column += 1
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            cell.append("\"")
                            column += 1
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" {
                        cell.append("\n")
                        line += 1
                        column = 0
                    } else {
                        cell.append(character)
                    }
                }
                continue
            }
            switch character {
            case "\"" where cell.isEmpty && !afterQuote:
                quoted = true
                quoteLine = line
                quoteColumn = column
            case separator:
                endCell()
                cellColumn = column + 1
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                column = 0
                recordLine = line
                cellColumn = 1
            default:
                if afterQuote && !character.isWhitespace {
                    throw ImportError.malformedCSV(path: path, line: line, column: column,
                                                   detail: "text after a closing quote; double the quote (\"\") inside a quoted cell")
                }
                if !afterQuote { cell.append(character) }
            }
        }
        if quoted {
            throw ImportError.malformedCSV(path: path, line: quoteLine, column: quoteColumn,
                                           detail: "quoted cell is never closed; add the closing \"")
        }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        guard let header = records.first else {
            return RawTable(header: [], rows: [], line: 1, section: "", footnotes: [:])
        }
        var header0 = header.cells
        if let first = header0.first, first.hasPrefix("\u{FEFF}") { header0[0] = String(first.dropFirst()) }
        return RawTable(header: header0, rows: Array(records.dropFirst()), line: header.line, section: "", footnotes: [:])
    }
}
