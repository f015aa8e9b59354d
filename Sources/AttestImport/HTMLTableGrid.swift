/// Lays an HTML table out as a browser does: `colspan` and `rowspan` copy a cell into every slot it
/// covers, short rows are padded, rows whose one cell spans every column are headings (footnotes in a
/// `<tfoot>`), the first rows are the header.
extension HTMLDocument.Table {
    /// Spans multiply cells: a table may expand to at most this many (50 times the contract's largest,
    /// 100,000 rows x 3 or 20 x 10,000), so that a small page cannot claim gigabytes.
    static let maxCells = 5_000_000

    /// The table on a grid, or nil when it has no header row. `lineOffset` is added to libxml2's lines
    /// (the table's first line in the page, less one).
    func grid(path: String, lineOffset: Int, maxCells: Int = Self.maxCells) throws -> RawTable? {
        var header: [String]?
        var headerLine = line + lineOffset
        var headerOrigins: [Int] = []
        var headerSpans = false
        var rows: [RawTable.Row] = []
        var footnotes: [String: String] = [:]
        var heading: String?
        // Per column, the cell a rowspan carries down: its markup, its origin, how many more rows it covers.
        var carried: [(markup: String, origin: Int, remaining: Int)?] = []
        var nextOrigin = 0
        var expanded = 0
        var previousPart = self.rows.first?.part

        for row in self.rows {
            if row.part != previousPart {
                carried = []  // a rowspan ends with its row group
                previousPart = row.part
            }
            let rowLine = row.line + lineOffset
            let width = header?.count ?? 0
            // A row whose one cell spans every column: a heading, or footnotes in a footer.
            if row.cells.count == 1, carried.allSatisfy({ $0 == nil }),
               row.cells[0].colspan > 1, width == 0 || row.cells[0].colspan >= width {
                let markup = row.cells[0].markup
                let notes = Markup.footnoteParagraphs(markup)
                if row.part == .foot || !notes.isEmpty {
                    for (marker, text) in notes { footnotes[marker] = text }
                } else {
                    let text = Markup.plain(markup).text
                    if !text.isEmpty { heading = text }
                }
                continue
            }
            if row.part == .foot {
                for cell in row.cells {
                    for (marker, text) in Markup.footnoteParagraphs(cell.markup) { footnotes[marker] = text }
                }
                continue
            }

            // Place the row's cells around the ones carried down from above.
            var cells: [String] = []
            var origins: [Int] = []
            var spanned: [Bool] = []
            func takeCarried() {
                while cells.count < carried.count, let carry = carried[cells.count] {
                    cells.append(carry.markup)
                    origins.append(carry.origin)
                    spanned.append(true)
                    carried[cells.count - 1] = carry.remaining > 1 ? (carry.markup, carry.origin, carry.remaining - 1) : nil
                }
            }
            for cell in row.cells {
                takeCarried()
                let origin = nextOrigin
                nextOrigin += 1
                let start = cells.count
                let rowspan = cell.rowspan == 0 ? Int.max : cell.rowspan  // 0: to the end of the row group
                for _ in 0..<cell.colspan {
                    cells.append(cell.markup)
                    origins.append(origin)
                    spanned.append(cell.colspan > 1 || rowspan > 1)
                }
                if rowspan > 1 {
                    if carried.count < cells.count { carried += Array(repeating: nil, count: cells.count - carried.count) }
                    for column in start..<cells.count { carried[column] = (cell.markup, origin, rowspan - 1) }
                }
            }
            takeCarried()
            expanded += cells.count
            if expanded > maxCells {
                throw ImportError.tooManyCells(path: path, line: rowLine, limit: maxCells)
            }

            if header == nil {
                header = cells
                headerOrigins = origins
                headerLine = rowLine
                headerSpans = row.cells.contains { $0.colspan > 1 || $0.rowspan != 1 }
                continue
            }
            // More header rows (in <thead>, or all <th> under a header cell that spans): the lower row names
            // the column. (A table of <th> cells only, without spans, keeps its first row as the header.)
            if rows.isEmpty, row.part == .head || (headerSpans && row.cells.allSatisfy(\.isHeader)), var names = header {
                for (column, cell) in cells.enumerated() where column < names.count {
                    if column >= headerOrigins.count || origins[column] != headerOrigins[column] { names[column] = cell }
                }
                header = names
                headerOrigins = origins
                continue
            }
            if let column = spanned.indices.last(where: { spanned[$0] }), column >= width {
                throw ImportError.spanPastHeader(path: path, line: rowLine, column: column + 1, headerColumns: width)
            }
            let distinct = Set(origins).count < origins.count
            rows.append(RawTable.Row(cells: cells, line: rowLine, columns: cells.map { _ in 1 },
                                     origins: distinct ? origins : [], section: heading))
        }
        guard let header else { return nil }
        return RawTable(header: header, rows: rows, line: headerLine, section: section, footnotes: footnotes)
    }
}
