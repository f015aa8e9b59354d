import AttestCore
import AttestReports
import AttestTestSupport
import Foundation
import Testing

/// Both reports on a fixture with every status present: golden files (re-record on purpose with
/// RECORD_SNAPSHOTS=1), the JUnit through the real CI consumers, and hostile text that must not break out.
@Suite struct ReportTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let checkJUnit = SharedFolder.url.appendingPathComponent("tools/check-junit.sh")

    /// A fixed generator, so that the golden files hold the generator block too.
    static let generator = ReportGenerator(attestVersion: "0.0.0-test", commit: String(repeating: "c", count: 40), clean: true)

    func written(_ state: ChecklistState = ReportFixture.state)
        throws -> (directory: TemporaryDirectory, junit: String, markdown: String, oscal: String) {
        let directory = try TemporaryDirectory()
        let paths = try ReportWriter.write([state], to: directory.url, displayDirectory: "out", kinds: Set(ReportWriter.Kind.allCases),
                                           generator: Self.generator, temporaryDirectory: directory.url.appendingPathComponent(".attest/tmp"))
        let id = state.checklist.id
        #expect(paths == ["out/\(id).junit.xml", "out/\(id).md", "out/\(id).oscal-ar.json"])
        let junit = try String(contentsOf: directory.url.appendingPathComponent("\(id).junit.xml"), encoding: .utf8)
        let markdown = try String(contentsOf: directory.url.appendingPathComponent("\(id).md"), encoding: .utf8)
        let oscal = try String(contentsOf: directory.url.appendingPathComponent("\(id).oscal-ar.json"), encoding: .utf8)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent(".attest/tmp").path)
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        return (directory, junit, markdown, oscal)
    }

    func compare(_ actual: String, snapshot name: String) throws {
        let url = Self.snapshots.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; if the change is intended, re-record with RECORD_SNAPSHOTS=1 and review the diff")
    }

    @Test func junitMatchesItsGoldenFile() throws {
        try compare(try written().junit, snapshot: "every-status.junit.xml")
    }

    @Test func markdownMatchesItsGoldenFile() throws {
        try compare(try written().markdown, snapshot: "every-status.md")
    }

    @Test func everyStatusIsPresent() {
        let statuses = Set(ReportFixture.state.items.map(\.status))
        #expect(statuses == Set(ItemStatus.allCases))
    }

    @Test func oscalMatchesItsGoldenFile() throws {
        try compare(try written().oscal, snapshot: "every-status.oscal-ar.json")
    }

    @Test func reportsAreByteIdenticalOnARerun() throws {
        let first = try written()
        let second = try written()
        #expect(first.junit == second.junit && first.markdown == second.markdown && first.oscal == second.oscal)
    }

    /// A rename that fails after another succeeded puts the replaced file back: all or none.
    @Test func aFailedSwapReplacesNoReport() throws {
        let directory = try TemporaryDirectory()
        let temporary = directory.url.appendingPathComponent(".attest/tmp")
        for name in ["demo.junit.xml", "demo.md"] { try directory.write(name, "old \(name)") }
        // A non-empty folder where the OSCAL file goes: its rename fails after the other two succeeded.
        try directory.write("demo.oscal-ar.json/keep", "x")
        #expect(throws: ReportError.self) {
            try ReportWriter.write([ReportFixture.state], to: directory.url, displayDirectory: "out", kinds: Set(ReportWriter.Kind.allCases),
                                   temporaryDirectory: temporary)
        }
        for name in ["demo.junit.xml", "demo.md"] {
            #expect(try String(contentsOf: directory.url.appendingPathComponent(name), encoding: .utf8) == "old \(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "no temporary file is left")
    }

    @Test func junitCountsAndOutcomes() throws {
        let junit = try written().junit
        #expect(junit.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"attest\" tests=\"8\" failures=\"4\" errors=\"1\" time=\"0\">"),
                "no skipped attribute on <testsuites>: Jenkins' junit-10.xsd forbids it")
        #expect(junit.contains("<testsuite name=\"demo\" tests=\"8\" failures=\"4\" errors=\"1\" skipped=\"2\""))
        #expect(junit.contains("<property name=\"attest.digest\" value=\"\(ReportFixture.state.digest)\"/>"))
        #expect(junit.contains("<property name=\"attest.generator.commit\" value=\"commit \(String(repeating: "c", count: 40))\"/>"))
        #expect(junit.contains("<property name=\"attest.policy.reviewRequired\" value=\"no\"/>"))
        #expect(junit.components(separatedBy: "<testcase ").count - 1 == 8, "one testcase per required, unretired item")
        #expect(!junit.contains("T-08") && !junit.contains("T-09 "), "retired and non-required items are not test cases")
        #expect(junit.contains("<error message=\"broken: attachment missing or altered: backup-restore.log"))
        #expect(junit.contains("type=\"reconfirm\""))
        #expect(junit.range(of: #"<(failure|error|skipped|system-out)\b[^>]*/>"#, options: .regularExpression) == nil,
                "no self-closing outcome element (Codecov and others read <failure/> as no failure)")
        #expect(junit.contains("<skipped message=\"waived through 2026-06-30 (approved by ciso@example.com"))
        #expect(!junit.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "XML 1.0 forbids control characters")
        #expect(!junit.contains("<script>"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: checkJUnit.path), "../shared/tools/check-junit.sh is absent: CI-consumer check skipped"))
    func junitIsAcceptedByTheCIConsumers() throws {
        try expectAcceptedByTheCIConsumers(try written())
    }

    /// A checklist with nothing required: one passing test case says so (Jenkins fails a suite without any).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: checkJUnit.path), "../shared/tools/check-junit.sh is absent: CI-consumer check skipped"))
    func aChecklistWithNothingRequiredGetsOnePassingCase() throws {
        let output = try written(Self.nothingRequired)
        #expect(output.junit.contains("<testsuites name=\"attest\" tests=\"1\" failures=\"0\" errors=\"0\""))
        #expect(output.junit.contains("<testsuite name=\"empty\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\""))
        #expect(output.junit.contains("<testcase name=\"nothing to gate\" classname=\"empty.checklist\""))
        #expect(!output.oscal.contains("\"findings\""), "findings only for required items")
        try expectAcceptedByTheCIConsumers(output)
    }

    static var nothingRequired: ChecklistState {
        let fixture = EvaluatorFixture(items: [EvaluatorFixture.item("E-01", "I", task: "Reading the status page"),
                                               EvaluatorFixture.item("E-02", "", task: "Patching hosts")])
        var state = fixture.state(asOf: "2026-06-15")
        state.checklist.id = "empty"
        return state
    }

    /// `check-junit.sh --strict-xunit`: both schemas (junit-10.xsd fatal too) and the four consumers agree.
    func expectAcceptedByTheCIConsumers(_ output: (directory: TemporaryDirectory, junit: String, markdown: String, oscal: String),
                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: output.directory.url.path).first { $0.hasSuffix(".junit.xml") })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.checkJUnit.path, "--strict-xunit", output.directory.url.appendingPathComponent(file).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "check-junit.sh --strict-xunit failed:\n\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("RESULT: PASS"), sourceLocation: sourceLocation)
    }

    @Test func hostileTextCannotBreakTheMarkdown() throws {
        let markdown = try written().markdown
        #expect(!markdown.contains("<script") && !markdown.contains("<b>") && !markdown.contains("<admin>") && !markdown.contains("<report>"))
        #expect(!markdown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        // Every table row has exactly as many cell separators as its table's header.
        var columns: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { columns = nil; continue }
            let pipes = line.count { $0 == "|" }
            if let columns { #expect(pipes == columns, "row breaks its table: \(line)") } else { columns = pipes }
        }
        #expect(markdown.contains("Patch &lt;script&gt;alert\\(1\\)&lt;/script&gt; &#124; pipe \\]\\]&gt;"))
        #expect(markdown.contains("🚀 שלום"))
    }

    static let cmark = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// GitHub's own renderer (Debian's cmark-gfm, raw HTML allowed through so that any would show):
    /// hostile text stays text in its one cell, and every table renders.
    @Test(.enabled(if: cmark != nil, "cmark-gfm is not installed (.ci/run installs it): rendering check skipped"))
    func markdownRendersSafelyOnGitHub() throws {
        let output = try written()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.cmark!)
        process.arguments = ["--unsafe", "--extension", "table", output.directory.url.appendingPathComponent("demo.md").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let html = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for tag in ["<script", "<b>", "<a ", "<admin", "<report", "<yet"] {
            #expect(!html.contains(tag), "rendered HTML contains \(tag)")
        }
        // Control characters, the line break and the bidi override are shown escaped (issue 8), in one cell.
        #expect(html.contains(#"<td>Patch &lt;script&gt;alert(1)&lt;/script&gt; | pipe ]]&gt; \e[31mred\u{07}\nnew line 🚀 שלום \u{202E}txet</td>"#))
        // (GFM pads or drops cells to a table's width, so a broken row shows as split text, checked above,
        // and a broken table as a missing one.)
        #expect(html.components(separatedBy: "<table>").count - 1 == 13)
    }

    @Test func markdownStartsWithTheVerdictAndEndsWithTheDigest() throws {
        let state = ReportFixture.state
        let markdown = try written().markdown
        let lines = markdown.split(separator: "\n")
        #expect(lines[1].hasPrefix("**Verdict: FAIL**: 5 of 8 obligations unsatisfied as of 2026-06-15 23:59Z"))
        #expect(markdown.contains("`\(state.digest)`"))
        #expect(markdown.contains("attest verify --checklist demo --digest \(state.digest) --as-of 2026-06-15T23:59:59.999Z"))
        for section in ["## Counts", "## Obligations", "## Evidence", "## Waivers and not-applicable items", "## Due within 30d",
                        "### Informed: 1", "### Consulted: 1", "### Inherited", "### Retired", "## RACI anomalies", "## State digest",
                        "## Scope", "## Period", "## Policy in effect", "## Generator", "| Review required | no |",
                        "| Workspace commit | commit \(String(repeating: "c", count: 40)) |", "| Working tree | clean working tree |"] {
            #expect(markdown.contains(section), "missing \(section)")
        }
        #expect(markdown.contains("SHA-256 `\(String(repeating: "a", count: 64))`"))
        #expect(markdown.contains("(not checked locally)"))
    }
}
