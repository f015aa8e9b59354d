import AttestCore
@testable import AttestImport
import Foundation
import Testing

/// Tables as a browser shows them (HTML through libxml2: spans, nested tables, lists, entities) and pipe
/// tables with every line ending.
@Suite struct TableShapeTests {
    static let pipe = ["# Example", "", "| Task | Example Cloud | Customer |", "| --- | --- | --- |",
                       "| Patching hosts | RA | |", "| Rotating secrets | I | RA |", ""]

    @Test(arguments: [("LF", "\n", false), ("CRLF", "\r\n", false), ("CR", "\r", false), ("BOM and CRLF", "\r\n", true)])
    func pipeTablesWithEveryLineEnding(name: String, ending: String, bom: Bool) throws {
        var data = Data(bom ? [0xEF, 0xBB, 0xBF] : [])
        data.append(Data(Self.pipe.joined(separator: ending).utf8))
        let matrix = try MatrixReader().read(data: data, fileName: "m.md", path: "m.md")
        #expect(matrix.rows.map(\.task) == ["Patching hosts", "Rotating secrets"], "\(name)")
        #expect(matrix.rows.map(\.kind) == [.inherited, .obligation], "\(name)")
        #expect(matrix.rows.map(\.line) == [5, 6], "\(name)")
        #expect(matrix.title == "Example" && matrix.rows[1].section == "Example", "\(name)")
    }

    @Test func csvWithCROnlyAndABOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("Task,Customer,Example Cloud\r\"Back up\rdaily\",R,\rPatch,,R\r".utf8))
        let matrix = try MatrixReader().read(data: data, fileName: "m.csv", path: "m.csv")
        #expect(matrix.customerParty == "Customer")
        #expect(matrix.rows.map(\.task) == ["Back up daily", "Patch"])
        #expect(matrix.rows.map(\.line) == [2, 4])
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let data = Data(Array("| Task | Customer |\n| --- | --- |\n".utf8) + [0x7C, 0x20, 0xC3, 0x28, 0x20, 0x7C, 0x0A])
        #expect(throws: ImportError.notText(path: "m.md", line: 3)) {
            try MatrixReader().read(data: data, fileName: "m.md", path: "m.md")
        }
    }

    @Test func rowKeysNormalizeAsBefore() {
        #expect(MatrixRow.key(section: "Réseau", task: "Patch the **DNS** (A-records), 2×") == "réseau/patchthednsarecords2")
    }

    // MARK: HTML

    func spans() throws -> ParsedMatrix {
        try MatrixReader().read(contentsOf: Paths.fixture("html-spans.html"), path: "Fixtures/html-spans.html")
    }

    @Test func htmlPageAsABrowserShowsIt() throws {
        let matrix = try spans()
        #expect(matrix.title == "Example Cloud responsibilities")
        #expect(matrix.tableCount == 2, "the nested table is a table of its own; scripts and comments are not read")
        #expect(matrix.parties == ["Example Cloud", "Customer"], "two header rows: the lower one names the columns")
        #expect(matrix.rows.map(\.task) == [
            "Encrypting disks & volumes at rest", "Backing up databases", "Testing the team’s restores",
            "Reviewing admin accounts (quarterly)", "Operating the hypervisor <HV> été", "Keeping the break-glass list",
        ])
        #expect(matrix.rows.map(\.section) == ["Data protection", "Data protection", "Data protection", "Access", "Access", "Operations"],
                "a row whose one cell spans every column is a heading")
        #expect(matrix.rows.map(\.customerLetters) == ["RA", "AC", "RA", "RA", "", "R"])
        #expect(matrix.rows.map(\.kind) == [.obligation, .obligation, .obligation, .obligation, .inherited, .obligation])
        #expect(matrix.rows[3].notes == ["[1] Only accounts with admin rights."])
        #expect(matrix.rows[0].line == 19)
    }

    @Test func colspanGivesEveryPartyItsLettersAndRowspanCopiesThemDown() throws {
        let rows = try spans().rows
        #expect(rows[0].responsibility == ["Example Cloud": "RA", "Customer": "RA"])
        #expect(rows[0].sharedCells == [["Example Cloud", "Customer"]])
        #expect(rows[1].responsibility == ["Example Cloud": "R", "Customer": "AC"], "a <ul> lists two values")
        #expect(rows[2].responsibility == ["Example Cloud": "R", "Customer": "RA"], "rowspan from the row above; <br> separates values")
        #expect(rows[2].sharedCells.isEmpty)
    }

    @Test func lintCountsASpanOnceAndNotesTheCustomerSharingIt() throws {
        let matrix = try spans()
        let findings = MatrixLinter.lint(matrix)
        #expect(!findings.contains { $0.task == "Encrypting disks & volumes at rest" }, "one span is one assignment, not several Accountable")
        let notes = MatrixLinter.notes(matrix)
        #expect(notes.map(\.task) == ["Encrypting disks & volumes at rest"])
        #expect(notes.first?.message.contains("Example Cloud, Customer") == true)
    }

    @Test func spanPastTheHeaderIsAnError() throws {
        let error = try #require(throws: ImportError.self) {
            try MatrixReader().read(contentsOf: Paths.fixture("span-past-header.md"), path: "Fixtures/span-past-header.md")
        }
        #expect(error == .spanPastHeader(path: "Fixtures/span-past-header.md", line: 8, column: 4, headerColumns: 3))
        #expect(error.errorDescription?.hasPrefix("Fixtures/span-past-header.md:8:1: error: a cell's colspan or rowspan reaches column 4") == true)
    }

    @Test func rowspanPastTheHeaderIsAnErrorAndShortRowsArePadded() throws {
        let page = """
            <table>
            <tr><th>Task</th><th>Customer</th></tr>
            <tr><td>Short row</td></tr>
            <tr><td>Logging</td><td>R</td><td rowspan="2">A</td></tr>
            </table>
            """
        #expect(throws: ImportError.spanPastHeader(path: "m.md", line: 4, column: 3, headerColumns: 2)) {
            try MatrixReader().read(data: Data(page.utf8), fileName: "m.md", path: "m.md")
        }
        let padded = try MatrixReader().read(data: Data(page.replacingOccurrences(of: " rowspan=\"2\"", with: "").utf8), fileName: "m.md", path: "m.md")
        #expect(padded.rows.map(\.kind) == [.inherited, .obligation], "a short row is padded; an extra plain cell is ignored")
    }

    @Test func spansCannotBlowATableUp() throws {
        let header = "<tr><th>Task</th><th colspan=\"1000\">Provider</th><th>Customer</th></tr>"
        let row = "<tr><td>t</td><td colspan=\"1000\">R</td></tr>\n"
        let page = "<table>" + header + String(repeating: row, count: 10) + "</table>"
        let table = try #require(try HTMLDocument(data: Data(page.utf8), path: "m.html").tables().first)
        #expect(throws: ImportError.tooManyCells(path: "m.html", line: 4, limit: 5_000)) {
            try table.grid(path: "m.html", lineOffset: 0, maxCells: 5_000)
        }
        #expect(try table.grid(path: "m.html", lineOffset: 0)?.rows.count == 10, "the real limit is far above")
    }

    @Test func aTableOfHeaderCellsOnlyKeepsItsRows() throws {
        let page = "<table><tr><th>Task</th><th>Customer</th></tr><tr><th>Patching</th><th>R</th></tr></table>"
        let matrix = try MatrixReader().read(data: Data(page.utf8), fileName: "m.html", path: "m.html")
        #expect(matrix.rows.map(\.task) == ["Patching"] && matrix.rows.map(\.kind) == [.obligation])
    }

    @Test func markdownListInsideAResponsibilityCell() throws {
        let page = """
            <table>
            <tr><th>Process</th><th>Responsibility</th></tr>
            <tr><td>Backup</td><td>

            -   Example Cloud
            -   Customer

            </td></tr>
            <tr><td>Provisioning</td><td>Example Cloud</td></tr>
            </table>
            """
        let matrix = try MatrixReader().read(data: Data(page.utf8), fileName: "m.md", path: "m.md")
        #expect(matrix.rows.map(\.kind) == [.obligation, .inherited])
        #expect(matrix.rows[0].responsibility == ["Customer": "R", "Example Cloud": "R"])
    }

    @Test func brokenMarkupIsReadLikeABrowserWould() throws {
        // Unclosed cells and rows, upper-case tags, an unknown entity kept as text, a numeric one decoded.
        let page = "<TABLE><TR><TH>Task<TH>Customer<TH>Example Cloud<TR><TD>Logging &unknown; &#x2713;<TD>R<TD>I</TABLE>"
        let matrix = try MatrixReader().read(data: Data(page.utf8), fileName: "m.html", path: "m.html")
        #expect(matrix.rows.map(\.task) == ["Logging &unknown; ✓"])
        #expect(matrix.rows.map(\.kind) == [.obligation])
    }
}

/// Character references outside HTML tables (pipe cells), decoded once.
@Suite struct EntityTests {
    @Test func decodedInOnePass() {
        #expect(Markup.decodeEntities("R&amp;D &amp;lt;b&amp;gt; &#38;lt; &check; &#x2713; &nosuch;") == "R&D &lt;b&gt; &lt; ✓ ✓ &nosuch;")
        #expect(Vocabulary.letters("&check;") == "R")
    }
}
