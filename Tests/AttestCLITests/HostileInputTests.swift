import AttestTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8 end to end: hostile files in the workspace and hostile arguments, through the built binary.
/// Every command ends with 0, 2 or 3 (never a signal) within the hang guard, and a command that fails
/// leaves the workspace as it was.
@Suite struct HostileInputTests {
    // MARK: Bounded parsing

    /// The crash of issue 8: 150,000 levels of `[` made every reading command die with SIGSEGV.
    @Test func deeplyNestedRecordIsAnInputErrorInEveryReadingCommand() throws {
        let cli = try Self.workspace()
        try cli.directory.write("Checklists/demo/records/D-01/deep.json",
                                "{\"x\":" + String(repeating: "[", count: 150_000) + String(repeating: "]", count: 150_000) + "}")
        try Self.expectInputErrorInEveryReadingCommand(cli, saying: ["records/D-01/deep.json", "64 levels"])
    }

    @Test func hugeRecordIsAnInputErrorNamingTheLimit() throws {
        let cli = try Self.workspace()
        let note = String(repeating: "a", count: 2 << 20)
        try cli.directory.write("Checklists/demo/records/D-01/ev-huge.json",
                                #"{"schemaVersion":"1.0","type":"evidence","id":"ev-huge","checklist":"demo","item":"D-01","by":"x","recordedAt":"2026-01-01","effective":"2026-01-01","note":""# + note + "\"}")
        for command in [["status"], ["log"], ["gate"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && result.stderr.contains("ev-huge.json") && result.stderr.contains("1 MiB"), "\(result.stderr)")
        }
    }

    /// Every file of the hostile record corpus, dropped into a records folder: an input error (or, for the
    /// few that are records, read), never a crash.
    @Test(arguments: [
        ("invalid-utf8.json", true), ("wrong-types.json", true), ("nan.json", true), ("size-1e400.json", true),
        ("size-minus-1e400.json", true), ("year-10000.json", true), ("year-0000.json", true), ("offset-past-9999.json", true),
        ("offset-before-0001.json", true), ("until-plus-10000.json", true), ("deep-65-arrays.json", true),
        ("deep-65-objects.json", true), ("truncated.json", true), ("empty.json", true), ("raw-nul.json", true),
        ("newer-schema.json", true), ("lone-surrogate.json", false), ("utf8-bom.json", false), ("leading-zero.json", false),
        ("brackets-in-strings.json", true),
    ])
    func hostileRecordFile(_ name: String, _ mustFail: Bool) throws {
        let cli = try Self.workspace()
        var data = try Data(contentsOf: Self.hostileCorpus.appendingPathComponent(name))
        // The corpus names checklist "demo" and item "T-01"; here the item is D-01.
        data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"T-01\"", with: "\"D-01\"").utf8)
        if name == "invalid-utf8.json" || name == "raw-nul.json" { data = try Data(contentsOf: Self.hostileCorpus.appendingPathComponent(name)) }
        try data.write(to: cli.workspace.appendingPathComponent("Checklists/demo/records/D-01/\(name)"))
        let before = cli.state()
        for command in [["status"], ["log"], ["show", "D-01"], ["verify"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(mustFail ? result.status == 2 : [0, 2, 3].contains(result.status), "\(name) \(command): exit \(result.status) \(result.stderr)")
            if result.status == 2 { #expect(result.stderr.contains(name), "the message names the file: \(result.stderr)") }
        }
        #expect(cli.state() == before)
    }

    // MARK: Dates

    /// Issue 8's bricked workspace: `--valid-until 9999-12-31` stored `10000-01-01T…`, which attest could not read.
    @Test func datesPastWhatTheFormatHoldsAreRefusedAtInput() throws {
        let cli = try Self.workspace()
        let before = cli.state()
        let refused: [[String]] = [
            ["tick", "D-01", "--note", "n", "--valid-until", "9999-12-31"],
            ["waive", "D-01", "--reason", "r", "--approved-by", "a", "--until", "9999-12-31"],
            ["tick", "D-01", "--note", "n", "--effective", "0000-06-01"],
            ["tick", "D-01", "--note", "n", "--valid-until", "9999-12-31T23:30:00-01:00"],
            ["tick", "D-01", "--note", "n", "--valid-until", "10000-01-01"],
            ["status", "--as-of", "0000-12-31"],
        ]
        for command in refused {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            let option = command.first { $0.hasPrefix("--") && $0 != "--note" && $0 != "--reason" && $0 != "--approved-by" }!
            let value = command[command.firstIndex(of: option)! + 1]
            #expect(result.status == 2 && result.stderr.contains(option) && result.stderr.contains(value), "\(command): \(result.stderr)")
        }
        #expect(cli.state() == before)
        // The last day that fits reads back: nothing is bricked.
        try cli.guarded(["tick", "D-01", "--note", "n", "--valid-until", "9999-12-30"]).expectStatus(0)
        try cli.guarded(["waive", "D-02", "--reason", "r", "--approved-by", "a", "--until", "9999-12-30"]).expectStatus(0)
        let status = try cli.guarded(["status", "--as-of", "9999-12-31"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(try cli.guarded(["log"]).stdout.contains("valid through 9999-12-30"))
    }

    // MARK: Paths given on the command line

    @Test func fileArgumentMustResolveToARegularFile() throws {
        let cli = try Self.workspace()
        let fifo = cli.workspace.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        try FileManager.default.createDirectory(at: cli.workspace.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent("loop").path, withDestinationPath: "loop")
        let before = cli.state()
        for (file, kind) in [("/dev/zero", "not a regular file (a character device)"), ("pipe", "not a regular file (a FIFO)"),
                             ("folder", "is a directory"), ("loop", "loop")] {
            let result = try cli.guarded(["tick", "D-01", "--note", "n", "--file", file])
            result.expectNoSignalNoHang(["tick", file])
            #expect(result.status == 2 && result.stderr.contains(file) && result.stderr.contains(kind), "\(file): \(result.stderr)")
        }
        #expect(cli.state() == before)
        #expect(!FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent("Checklists/demo/attachments").path))

        // A symbolic link to a regular file is read by content, staged under .attest/tmp (never under Checklists/).
        try cli.directory.write("evidence/report.txt", "the report")
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent("evidence/latest.txt").path,
                                                   withDestinationPath: "report.txt")
        let linked = try cli.guarded(["tick", "D-01", "--file", "evidence/latest.txt"])
        linked.expectStatus(0)
        let stored = cli.state().filter { $0.key.hasPrefix("Checklists/demo/attachments/") && !$0.key.hasSuffix("/") }
        #expect(stored.count == 1 && stored.values.first == Data("the report".utf8), "\(stored.keys)")
        #expect(!cli.state().keys.contains { $0.contains(".incoming") })
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent(".attest/tmp").path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent(".attest/tmp").path).isEmpty)
    }

    /// `.attest/tmp` that is a symbolic link could send the copy of an attachment anywhere: refused.
    @Test func temporaryFolderMustBeARealFolder() throws {
        let cli = try Self.workspace()
        let elsewhere = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: cli.workspace.appendingPathComponent(".attest"), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: cli.workspace.appendingPathComponent(".attest/tmp"))
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent(".attest/tmp").path, withDestinationPath: elsewhere.url.path)
        try cli.directory.write("evidence/report.txt", "the report")
        let before = cli.state()
        let result = try cli.guarded(["tick", "D-01", "--file", "evidence/report.txt"])
        result.expectNoSignalNoHang(["tick"])
        #expect(result.status == 2 && result.stderr.contains(".attest/tmp") && result.stderr.contains("a symbolic link"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.url.path).isEmpty)
        #expect(cli.state() == before)
    }

    /// Issue 8: a FIFO or /dev/zero given as the matrix said "You don't have permission".
    @Test func matrixMustResolveToARegularFile() throws {
        let cli = try Self.workspace()
        let fifo = cli.workspace.appendingPathComponent("matrix.md").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let before = cli.state()
        for command in [["import", "matrix.md", "--checklist", "other"], ["lint", "matrix.md"], ["import", "/dev/zero", "--checklist", "other"],
                        ["lint", "/dev/zero"], ["import", "matrix.md", "--checklist", "demo"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && result.stderr.contains("not a regular file (a") && !result.stderr.contains("permission"),
                    "\(command): \(result.stderr)")
        }
        #expect(cli.state() == before)
    }

    /// An item reference on the command line never becomes a path.
    @Test func itemReferencesThatLookLikePathsAreUnknownItems() throws {
        let cli = try Self.workspace()
        let before = cli.state()
        for reference in ["../../../../escape-target", "/tmp/escape-target", "D-01/../../x", "..", "."] {
            for command in [["tick", reference, "--note", "n"], ["waive", reference, "--reason", "r", "--approved-by", "a", "--until", "2099-01-01"],
                            ["na", reference, "--reason", "r", "--approved-by", "a"], ["revoke", reference, "--reason", "r"], ["show", reference]] {
                let result = try cli.guarded(command)
                result.expectNoSignalNoHang(command)
                #expect(result.status == 2, "\(command): \(result.stdout) \(result.stderr)")
            }
        }
        #expect(cli.state() == before)
        var folder = cli.workspace
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape-target").path))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escape-target"))
    }

    // MARK: Text for terminals

    /// Issue 8: `--by $'\e[2J…'` and a note holding a line shaped like a log entry.
    @Test func escapeSequencesAndForgedLogLinesStayVisibleOnOneLine() throws {
        let cli = try Self.workspace()
        let by = "\u{1B}[2J\u{1B}[H\u{1B}[31mmallory"
        let note = "done\n2026-01-01 00:00Z  D-02      ev-20260101T000000Z-00000000  admin@example.com  evidence \"verified\""
        try cli.guarded(["tick", "D-01", "--by", by, "--note", note]).expectStatus(0)
        let log = try cli.guarded(["log"])
        log.expectStatus(0)
        #expect(log.stdout.split(separator: "\n").count == 2, "one line per record (import, evidence): \(log.stdout)")
        #expect(!Self.hasRawControls(log.stdout) && log.stdout.contains(#"\e[2J\e[H\e[31mmallory"#) && log.stdout.contains(#"done\n2026-01-01"#))
        for command in [["show", "D-01"], ["status"], ["list"], ["gate"], ["verify"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(!Self.hasRawControls(result.stdout + result.stderr), "\(command): \(result.stdout.debugDescription)")
        }
        // Error messages that quote what was typed show it escaped too.
        for command in [["show", by], ["tick", "D-01", "--note", "n", "--file", "no\u{1B}[2Jsuch"], ["status", "--as-of", by], ["lint", by]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && !Self.hasRawControls(result.stderr) && result.stderr.contains(#"\e[2J"#), "\(result.stderr.debugDescription)")
        }
        // JSON stays exact.
        let json = try #require(try cli.json(["log"]) as? [String: Any])
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["by"] as? String == by && $0["note"] as? String == note })
    }

    /// Control characters in every field attest prints: matrix text (task, section, party), every record type's
    /// text, attachment names; in the terminal, markdown and JUnit.
    @Test func controlCharactersInEveryPrintedFieldAreEscaped() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        let hostile = "\u{1B}[2J\u{7}\u{202E}\u{2028}\u{9B}\rx"
        try cli.directory.write("vendor/matrix.md", """
            # Section \(hostile)

            | Task | Provider \(hostile) | Customer |
            | --- | --- | --- |
            | Rotating keys \(hostile) | I | RA |
            | Reviewing access | A | R |
            | Patching hosts | | RA |
            | Backups | | RA |

            """)
        let imported = try cli.guarded(["import", "vendor/matrix.md", "--checklist", "demo", "--prefix", "D"])
        imported.expectStatus(0)
        #expect(!Self.hasRawControls(imported.stdout + imported.stderr))
        try cli.directory.write("evidence/e\u{1B}[31m\u{202E}name.txt", "x")
        try cli.guarded(["tick", "D-01", "--file", "evidence/e\u{1B}[31m\u{202E}name.txt", "--note", hostile, "--by", hostile]).expectStatus(0)
        try cli.guarded(["waive", "D-02", "--reason", hostile, "--approved-by", hostile, "--until", "2099-01-01", "--by", hostile]).expectStatus(0)
        try cli.guarded(["na", "D-03", "--reason", hostile, "--approved-by", hostile, "--by", hostile]).expectStatus(0)
        try cli.guarded(["tick", "D-04", "--note", "n", "--by", "alice"]).expectStatus(0)
        let evidence = try #require((try cli.json(["show", "D-04"]) as? [String: Any])?["records"] as? [[String: Any]])
        let id = try #require(evidence.first?["id"] as? String)
        try cli.guarded(["review", id, "--reject", "--comment", hostile, "--by", hostile]).expectStatus(0)
        try cli.guarded(["revoke", id, "--reason", hostile, "--by", hostile]).expectStatus(0)
        var commands: [[String]] = [["list"], ["list", "--all"], ["status"], ["gate"], ["log"], ["verify"], ["report"], ["lint", "vendor/matrix.md"]]
        commands += ["D-01", "D-02", "D-03", "D-04"].map { ["show", $0] }
        for command in commands {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect([0, 1].contains(result.status), "\(command): \(result.stderr)")
            #expect(!Self.hasRawControls(result.stdout + result.stderr), "\(command): \(result.stdout.debugDescription)")
        }
        #expect(try cli.guarded(["log"]).stdout.split(separator: "\n").count == 7)
        for report in ["Reports/demo.md", "Reports/demo.junit.xml"] {
            let text = try String(contentsOf: cli.workspace.appendingPathComponent(report), encoding: .utf8)
            #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" || $0 == "\u{2028}" || $0 == "\u{9B}" || $0 == "\r" },
                    "\(report) carries a raw control character")
            #expect(text.contains(report.hasSuffix(".md") ? #"\\e\[2J"# : #"\e[2J"#), "\(report) shows the escape visibly")
        }
        // JSON keeps the text exactly.
        let shown = try #require(try cli.json(["show", "D-02"]) as? [String: Any])
        let waiver = try #require((shown["records"] as? [[String: Any]])?.first)
        #expect(waiver["reason"] as? String == hostile && waiver["approvedBy"] as? String == hostile && waiver["by"] as? String == hostile)
        let task = try #require((try cli.json(["show", "D-01"]) as? [String: Any])?["task"] as? String)
        #expect(task.contains("\u{1B}[2J\u{7}\u{202E}"), "\(task.debugDescription)")
    }

    // MARK: Stored files

    /// A stored attachment replaced by a symbolic link (to a file with the same bytes) is not read through:
    /// a link where a stored file belongs is an input error (exit 2), as the contract says.
    @Test func storedAttachmentThatIsALinkIsAnInputError() throws {
        let cli = try Self.workspace()
        try cli.directory.write("evidence/report.txt", "the report")
        try cli.guarded(["tick", "D-01", "--file", "evidence/report.txt"]).expectStatus(0)
        let stored = try #require(cli.state().keys.first { $0.hasPrefix("Checklists/demo/attachments/sha256/") && !$0.hasSuffix("/") })
        let url = cli.workspace.appendingPathComponent(stored)
        try FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: cli.workspace.appendingPathComponent("evidence/report.txt").path)
        let verify = try cli.guarded(["verify"])
        verify.expectNoSignalNoHang(["verify"])
        #expect(verify.status == 2 && verify.stderr.contains("not a regular file (a symbolic link)"), "\(verify.stdout) \(verify.stderr)")
        let gate = try cli.guarded(["gate"])
        #expect(gate.status == 2 && gate.stderr.contains("not a regular file (a symbolic link)"), "\(gate.stderr)")
    }

    // MARK: Writes

    /// Issue 8: a full disk during `report` said only "libxml2 … failed (-1)". A file-size limit fails the same
    /// write call (attest ignores SIGXFSZ), so `ulimit -f` stands in for a full disk here.
    @Test func failedReportWriteSaysWhatHappened() throws {
        let cli = try Self.workspace()
        let result = try cli.guarded(["-c", "ulimit -f 1; exec \"$0\" report --only junit", CLI.binary.path], executable: "/bin/sh")
        result.expectNoSignalNoHang(["report"])
        #expect(result.status == 2 && result.stderr.contains("file too large") && result.stderr.contains("while writing Reports/demo.junit.xml")
            && !result.stderr.contains("libxml2"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent("Reports/demo.junit.xml").path))
    }

    // MARK: The record walk (issue 7's store rewrite makes these pass)

    /// Issue 8: a FIFO named like a record hung status, report, gate, verify and log.
    @Test
    func fifoOrDeviceWhereARecordShouldBeIsAnInputError() throws {
        let cli = try Self.workspace()
        #expect(mkfifo(cli.workspace.appendingPathComponent("Checklists/demo/records/D-01/y.json").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent("Checklists/demo/records/D-01/z.json").path,
                                                   withDestinationPath: "/dev/zero")
        try Self.expectInputErrorInEveryReadingCommand(cli, saying: ["not a regular file (a"])
    }

    /// Issue 8: two symbolic links to `.` inside a records folder hung `status`.
    @Test
    func symlinkLoopsInARecordsFolderAreInputErrors() throws {
        let cli = try Self.workspace()
        let folder = cli.workspace.appendingPathComponent("Checklists/demo/records/D-01")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("a").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("b").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("self.json").path, withDestinationPath: "self.json")
        try Self.expectInputErrorInEveryReadingCommand(cli, saying: ["a symbolic link"])
    }

    /// Issue 8: a `records/D-01` that is a symbolic link to a folder elsewhere was written through.
    @Test
    func recordsFolderSymlinkedElsewhereIsNeitherReadNorWrittenThrough() throws {
        let cli = try Self.workspace()
        let elsewhere = try TemporaryDirectory()
        let folder = cli.workspace.appendingPathComponent("Checklists/demo/records/D-02")
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: elsewhere.url.path)
        let before = cli.state()
        for command in [["tick", "D-02", "--note", "n"], ["status"], ["log"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && result.stderr.contains("records/D-02") && result.stderr.contains("a symbolic link"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.url.path).isEmpty)
        #expect(cli.state() == before)
    }

    /// Issue 8: a schema-valid record with `"item": "../../../../escape-target"`, then `revoke` of it, created a
    /// folder outside the workspace and wrote there.
    @Test
    func pathTraversalInARecordsItemFieldIsAnInputError() throws {
        let cli = try Self.workspace()
        let item = "../../../../escape-target"
        try cli.directory.write("Checklists/demo/records/D-01/ev-20260101T000000Z-0badc0de.json", """
            {"schemaVersion":"1.0","type":"evidence","id":"ev-20260101T000000Z-0badc0de","checklist":"demo","item":"\(item)",\
            "recordedAt":"2026-01-01T00:00:00.000Z","by":"x","effective":"2026-01-01T00:00:00.000Z","note":"n"}
            """)
        let before = cli.state()
        for command in [["revoke", "ev-20260101T000000Z-0badc0de", "--reason", "r"], ["review", "ev-20260101T000000Z-0badc0de", "--accept", "--by", "r"],
                        ["status"], ["log"], ["verify"]] {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && result.stderr.contains("item"), "\(command): \(result.stderr)")
        }
        #expect(cli.state() == before)
        var folder = cli.workspace
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape-target").path))
        }
    }

    // MARK: Helpers

    static let readingCommands: [[String]] = [["status"], ["list"], ["show", "D-01"], ["log"], ["gate"], ["verify"], ["report"]]

    /// Every reading command stops with exit 2, without a signal or a hang, with a message holding each of
    /// `phrases`, and changes no file.
    static func expectInputErrorInEveryReadingCommand(_ cli: CLI, saying phrases: [String],
                                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = cli.state()
        for command in readingCommands {
            let result = try cli.guarded(command)
            result.expectNoSignalNoHang(command)
            #expect(result.status == 2 && phrases.allSatisfy(result.stderr.contains), "\(command): exit \(result.status): \(result.stderr)",
                    sourceLocation: sourceLocation)
        }
        #expect(cli.state() == before, "a reading command changed the workspace", sourceLocation: sourceLocation)
    }
    static let hostileCorpus = CLI.root.appendingPathComponent("Tests/HostileCorpus/records")

    /// A workspace with checklist `demo`: D-01 … D-04, all obligations.
    static func workspace() throws -> CLI {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("vendor/matrix.md", """
            | Task | Provider | Customer |
            | --- | --- | --- |
            | Rotating keys | I | RA |
            | Reviewing access | A | R |
            | Patching hosts | | RA |
            | Backups | | RA |

            """)
        try cli.run(["import", "vendor/matrix.md", "--checklist", "demo", "--prefix", "D"]).expectSuccess()
        try FileManager.default.createDirectory(at: cli.workspace.appendingPathComponent("Checklists/demo/records/D-01"), withIntermediateDirectories: true)
        return cli
    }

    /// Whether text holds anything a terminal would act on (other than line feeds between lines).
    static func hasRawControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar != "\n" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x2028...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value))
        }
    }
}

/// A run of the binary under the hang guard (`CLI.run` always has one).
typealias GuardedResult = CLI.Result

extension CLI.Result {
    func expectNoSignalNoHang(_ command: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!timedOut, "\(command) still running after \(CLI.hangGuard) s", sourceLocation: sourceLocation)
        #expect(signal == nil, "\(command) died of signal \(signal ?? 0)", sourceLocation: sourceLocation)
        #expect([0, 1, 2, 3].contains(status), "\(command) exit \(status)", sourceLocation: sourceLocation)
    }

    func expectStatus(_ expected: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!timedOut && signal == nil && status == expected, "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)", sourceLocation: sourceLocation)
    }
}

extension CLI {
    /// Runs the binary (or `executable`) with stdin closed and Swift's backtracer off, so that a crash is a signal.
    func guarded(_ arguments: [String], executable: String? = nil) throws -> GuardedResult {
        try run(arguments, executable: executable, environment: ["SWIFT_BACKTRACE": "enable=no"])
    }

    /// Every entry under the workspace but `.attest/`: files by content, links by target, others by kind;
    /// never reading a FIFO or a device, never following a link.
    func state() -> [String: Data] {
        var result: [String: Data] = [:]
        func walk(_ relative: String) {
            let path = relative.isEmpty ? workspace.path : workspace.appendingPathComponent(relative).path
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if !relative.isEmpty { result[relative + "/"] = Data() }
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                where !(relative.isEmpty && name == ".attest") {
                    walk(relative.isEmpty ? name : relative + "/" + name)
                }
            case S_IFREG: result[relative] = FileManager.default.contents(atPath: path) ?? Data()
            case S_IFLNK: result[relative] = Data(("-> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "")).utf8)
            default: result[relative] = Data("mode \(info.st_mode & S_IFMT)".utf8)
            }
        }
        walk("")
        return result
    }
}

