/// A table as found in the source, before any meaning is given to its cells.
struct RawTable: Sendable {
    struct Row: Sendable {
        /// Raw cell contents (markup kept), one per column: spans already expanded.
        var cells: [String]
        /// 1-based line of the row; cells' 1-based columns where known.
        var line: Int
        var columns: [Int]
        /// Per cell, the source cell it came from, where one cell spans several columns (HTML `colspan`);
        /// empty when every cell is its own.
        var origins: [Int] = []
        /// The heading row (one cell spanning every column) above this row, if any: its section.
        var section: String? = nil
    }

    var header: [String]
    var rows: [Row]
    /// 1-based line of the header row.
    var line: Int
    /// The nearest heading above the table, plain text.
    var section: String
    /// Footnote texts by marker, from the table's footer or the lines right after it.
    var footnotes: [String: String]
}
