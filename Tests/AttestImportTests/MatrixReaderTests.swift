import AttestCore
@testable import AttestImport
import Foundation
import Testing

/// Fixture matrices written for these tests, in the shapes the real pages have.
@Suite struct MatrixReaderTests {
    func read(_ name: String, party: String? = nil) throws -> ParsedMatrix {
        try MatrixReader(party: party).read(contentsOf: Paths.fixture(name), path: "Fixtures/\(name)")
    }

    @Test func pipeTablesWithEveryCellVariant() throws {
        let matrix = try read("pipe-variants.md")
        #expect(matrix.tableCount == 2)
        #expect(matrix.skipped.count == 1 && matrix.skipped[0].reason.contains("\"Letter\", \"Meaning\""))
        #expect(matrix.customerParty == "Customer" && matrix.provider == "Example Cloud")
        let rows = Dictionary(uniqueKeysWithValues: matrix.rows.map { ($0.task, $0) })
        #expect(matrix.rows.map(\.task) == [
            "Patching the Example Cloud hypervisor", "Rotating application secrets", "Reviewing access quarterly",
            "Approving change windows", "Reading the status page", "Configuring the backup schedule", "Deciding data residency",
            "Nobody's row", "Operating the edge firewall", "Writing firewall rules for your apps",
        ])
        #expect(matrix.rows.map(\.customerLetters) == ["", "RA", "R", "CI", "I", "R", "A", "", "C", "RA"])
        #expect(matrix.rows.map(\.kind) == [.inherited, .obligation, .obligation, .consulted, .informed, .obligation, .obligation,
                                            .inherited, .consulted, .obligation])
        #expect(rows["Configuring the backup schedule"]?.notes == ["[1] Only for dedicated plans."])
        #expect(rows["Rotating application secrets"]?.section == "Platform")
        #expect(rows["Operating the edge firewall"]?.section == "Network")
        #expect(rows["Deciding data residency"]?.responsibility == ["Example Cloud": "R", "Customer": "A"])
        #expect(rows["Reviewing access quarterly"]?.line == 27)
    }

    @Test func lintFindsEveryKindOfAnomaly() throws {
        let findings = MatrixLinter.lint(try read("pipe-variants.md"))
        let byTask = Dictionary(grouping: findings, by: \.task).mapValues { $0.map(\.anomaly.code) }
        #expect(byTask["Nobody's row"] == ["nobody"])
        #expect(byTask["Approving change windows"] == ["no-accountable"])
        #expect(byTask["Reviewing access quarterly"] == nil)
        #expect(byTask["Configuring the backup schedule"] == ["no-accountable"])
        #expect(byTask["Rotating application secrets"] == nil)
    }

    @Test func htmlTablesWithFootnotesAndAStubCopy() throws {
        let matrix = try read("html-footnotes.md")
        #expect(matrix.tableCount == 2)
        #expect(matrix.customerParty == "Merchant")
        #expect(matrix.parties == ["Example Cloud", "Merchant", "CDN provider"])
        #expect(matrix.rows.count == 3, "the stub copy under Operations is merged")
        #expect(matrix.warnings.count == 1 && matrix.warnings[0].contains("duplicates line"))
        let first = matrix.rows[0]
        #expect(first.task == "Applying security patches (for example, the web server)")
        #expect(first.notes == ["[1] Custom code only."])
        #expect(first.line == 16 && first.section == "Security summary", "the line of the row's <tr>")
        #expect(matrix.rows[1].notes == ["[2] Shared for PCI."])
        #expect(matrix.rows[2].task == "Defining CDN rules & limits" && matrix.rows[2].kind == .inherited)
    }

    @Test func csvWithASingleResponsibilityColumn() throws {
        let matrix = try read("single-column.csv")
        #expect(matrix.rows.map(\.task) == ["Use single sign-on", "Encrypt disks at rest", "Back up, and test restores",
                                            "Physical badge audit", "Monitor sign-ins", "Harden images (Feature A)", "Harden images (Feature B)"])
        #expect(matrix.rows.map(\.kind) == [.obligation, .inherited, .obligation, .notApplicable, .obligation, .obligation, .inherited])
        #expect(matrix.rows[2].responsibility == ["Customer": "R", "ExampleSoft": "R"])
        #expect(matrix.rows[1].responsibility == ["ExampleSoft": "R"])
        #expect(matrix.rows[3].notes == ["Not applicable: Not Applicable"])
        #expect(matrix.rows[1].line == 4, "a quoted cell spanning two lines moves the next row down")
        #expect(MatrixLinter.lint(matrix).isEmpty, "a single responsibility column has no A to expect")
    }

    @Test func proseDutiesUnderYourResponsibilities() throws {
        let matrix = try read("prose-duties.md")
        #expect(matrix.customerParty == "Your Responsibilities" && matrix.parties == ["IBM Responsibilities", "Your Responsibilities"])
        #expect(matrix.rows.map(\.kind) == [.obligation, .inherited])
        #expect(matrix.rows[0].notes.contains("Your Responsibilities: Engage support as required."))
    }

    @Test func partyOptionPicksTheColumn() throws {
        let matrix = try read("html-footnotes.md", party: "CDN provider")
        #expect(matrix.customerParty == "CDN provider")
        #expect(matrix.rows.filter { $0.kind == .obligation }.map(\.task) == ["Defining CDN rules & limits"])
    }

    @Test func transposedTablesAreRefusedWithTheReason() throws {
        let error = try #require(throws: ImportError.self) { try read("transposed.md") }
        let message = error.errorDescription ?? ""
        #expect(message.hasPrefix("Fixtures/transposed.md: error: no responsibility table found"))
        #expect(message.contains("line 3 (Layers): its cells name parties"))
    }

    @Test func unknownPartyListsThePartiesFound() throws {
        let error = try #require(throws: ImportError.self) { try read("pipe-variants.md", party: "Tenant") }
        #expect(error.errorDescription?.contains("no table has a party column named \"Tenant\"") == true)
        #expect(error.errorDescription?.contains("\"Example Cloud\", \"Customer\"") == true)
    }

    @Test func unreadableCustomerLettersNameLineAndColumn() throws {
        let error = try #require(throws: ImportError.self) { try read("unreadable.md") }
        #expect(error == .unreadableLetters(path: "Fixtures/unreadable.md", line: 6, column: 24, party: "Customer", value: "Maybe"))
        #expect(error.errorDescription?.hasPrefix("Fixtures/unreadable.md:6:24: error: Customer: \"Maybe\" is not a RACI value") == true)
    }

    @Test func missingFileAndUnclosedQuote() throws {
        #expect(throws: ImportError.fileNotFound(path: "nope.md")) {
            try MatrixReader().read(contentsOf: URL(fileURLWithPath: "/nonexistent/nope.md"), path: "nope.md")
        }
        let error = try #require(throws: ImportError.self) {
            try MatrixReader().read(data: Data("Task,Customer\nA,\"R\nB,R\n".utf8), fileName: "m.csv", path: "m.csv")
        }
        #expect(error == .malformedCSV(path: "m.csv", line: 2, column: 3, detail: "quoted cell is never closed; add the closing \""))
    }
}

/// Rows of a large table are read on every core in runs: what comes out is what one pass in row order gives.
@Suite struct LargeTableTests {
    /// 9,000 rows (well past the size read in runs): letters cycle, every 997th provider cell is not RACI (a
    /// warning), every 1,499th row has no task and no letters (skipped), every 2,003rd carries a footnote marker.
    static func matrix(unreadableCustomerAt bad: Set<Int> = []) -> String {
        var lines = ["# Large", "", "| Task | Provider | Customer |", "| --- | --- | --- |"]
        let letters = ["RA", "R", "C", "I", ""]
        for row in 1...9000 {
            if row % 1499 == 0 { lines.append("| | | |"); continue }
            let provider = row % 997 == 0 ? "maybe" : letters[row % 5]
            let customer = bad.contains(row) ? "sometimes" : letters[(row + 2) % 5]
            let marker = row % 2003 == 0 ? " [^1]" : ""
            lines.append("| Task number \(row)\(marker) | \(provider) | \(customer) |")
        }
        lines += ["", "[^1]: A footnote."]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func rowsWarningsAndNotesComeInRowOrder() throws {
        let parsed = try MatrixReader().read(data: Data(Self.matrix().utf8), fileName: "large.md", path: "large.md")
        let expected = (1...9000).filter { $0 % 1499 != 0 }
        #expect(parsed.rows.map(\.task) == expected.map { "Task number \($0)" })
        #expect(parsed.rows.map(\.line) == expected.map { $0 + 4 })
        let letters = ["RA", "R", "C", "I", ""]
        #expect(parsed.rows.map(\.customerLetters) == expected.map { letters[($0 + 2) % 5] })
        let warned = parsed.warnings.filter { $0.contains("is not a RACI value") }
        #expect(warned.count == expected.filter { $0 % 997 == 0 }.count)
        let warnedLines = warned.compactMap { Int($0.split(separator: ":")[1]) }
        #expect(warnedLines == warnedLines.sorted() && warnedLines.first == 997 + 4)
        #expect(parsed.rows.filter { $0.notes == ["[1] A footnote."] }.map(\.line) == [2003, 4006, 6009, 8012].map { $0 + 4 })
    }

    /// The first unreadable customer cell in row order is the error, whichever run reads it first.
    @Test func theFirstErrorInRowOrderWins() throws {
        let data = Data(Self.matrix(unreadableCustomerAt: [8500, 6100, 2100]).utf8)
        let error = try #require(throws: ImportError.self) { try MatrixReader().read(data: data, fileName: "large.md", path: "large.md") }
        guard case .unreadableLetters(_, let line, _, _, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 2100 + 4)
    }
}
