import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// Adversarial review of issue 7: each test states what the contract promises and fails while the
/// implementation breaks it.
@Suite struct LedgerAdversaryTests {
    static let header = "| Task | Provider | Customer |\n| --- | --- | --- |\n"

    /// A workspace with checklist `svc` imported from Alpha, Beta, Gamma (yearly), in git when `git` is set.
    static func workspace(git: Bool = false, rows: [String] = ["Alpha", "Beta", "Gamma yearly"]) throws -> CLI {
        let cli = try CLI()
        if git {
            try LedgerTrustTests.git(cli, "init", "-q", "-b", "main")
            try LedgerTrustTests.git(cli, "config", "user.email", "alice@example.com")
            try LedgerTrustTests.git(cli, "config", "user.name", "Alice")
        }
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("v1.md", header + rows.map { "| \($0) | A | R |\n" }.joined())
        try cli.run(["import", "v1.md", "--checklist", "svc", "--by", "admin"]).expectSuccess()
        return cli
    }

    static let folder = "Checklists/svc/records/checklist"

    static func importRecord(_ cli: CLI) throws -> (name: String, body: [String: Any]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent(folder).path).filter { $0.hasSuffix(".json") }
        let name = try #require(names.sorted().first)
        return (name, try LedgerTrustTests.json(cli, "\(folder)/\(name)"))
    }

    static func commit(_ cli: CLI, _ message: String) throws {
        try LedgerTrustTests.git(cli, "add", "-A")
        try LedgerTrustTests.git(cli, "commit", "-q", "-m", message)
    }

    /// A forged import record that is never in effect when anyone looks (dated just ahead) is laundered by
    /// the next legitimate import, which builds on its table: an item number is reused for another row, the
    /// evidence of one obligation satisfies another, and gate and verify both pass.
    @Test func aForgedImportIsNotLaunderedByTheNextImport() throws {
        let cli = try Self.workspace()
        try cli.run(["tick", "SVC-01", "--note", "alpha done", "--by", "admin"]).expectSuccess()
        try cli.run(["tick", "SVC-02", "--note", "evidence for Beta only", "--by", "admin"]).expectSuccess()
        let (name, original) = try Self.importRecord(cli)
        var forged = original
        let items = try #require(original["items"] as? [[String: Any]])
        var beta = items[1]
        for key in ["task", "key", "section", "sourceLine"] { beta[key] = items[2][key] }  // SVC-02 now holds Gamma's row
        forged["id"] = "im-forged"
        forged["follows"] = [String(name.dropLast(5))]
        forged["items"] = [items[0], beta]
        forged["recordedAt"] = Timestamp.format(Date().addingTimeInterval(1))
        try LedgerTrustTests.write(cli, "\(Self.folder)/im-forged.json", forged)
        Thread.sleep(forTimeInterval: 1.5)
        // The provider drops Beta; the admin re-imports as usual.
        try cli.directory.write("v2.md", Self.header + "| Alpha | A | R |\n| Gamma yearly | A | R |\n")
        let imported = try cli.run(["import", "v2.md", "--checklist", "svc", "--by", "admin"])
        let gate = try cli.run(["gate"])
        let verify = try cli.run(["verify"])
        #expect(imported.status != 0 || gate.status != 0 || verify.status == 3,
                "Gamma has no evidence, yet: import \(imported.status), gate \(gate.status), verify \(verify.status)\n\(gate.stdout)\(verify.stdout)")
        #expect(verify.status == 3 && verify.stdout.contains("im-forged.json"), "verify must name the forged import: \(verify.stdout)")
    }

    /// One import record dated in the future (a clock that ran ahead, or a file someone added) makes the next
    /// import a fork that no import resolves: every command but import exits 2 from then on.
    @Test func aFutureDatedImportDoesNotForkTheChecklistForever() throws {
        let cli = try Self.workspace()
        let (name, original) = try Self.importRecord(cli)
        var future = original
        future["id"] = "im-future"
        future["follows"] = [String(name.dropLast(5))]
        future["recordedAt"] = "2099-01-01T00:00:00.000Z"
        try LedgerTrustTests.write(cli, "\(Self.folder)/im-future.json", future)
        try cli.run(["import", "v1.md", "--checklist", "svc", "--by", "admin"]).expectSuccess()
        try cli.run(["import", "v1.md", "--checklist", "svc", "--by", "admin"]).expectSuccess()
        let status = try cli.run(["status"])
        #expect(status.status != 2 || !status.stderr.contains("forked"), "a new import must resolve a fork: \(status.stderr)")
    }

    /// A pull request that deletes a checklist's committed import records is not "only adding": verify --since
    /// must fail, and gate must not pass by no longer seeing that checklist.
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func deletingAChecklistsImportRecordsFailsVerifySince() throws {
        let cli = try Self.workspace(git: true)
        try cli.directory.write("o.md", Self.header + "| Delta | A | R |\n")
        try cli.run(["import", "o.md", "--checklist", "other", "--by", "admin"]).expectSuccess()
        try cli.run(["tick", "OTHER-01", "--checklist", "other", "--note", "ok", "--by", "admin"]).expectSuccess()
        try Self.commit(cli, "base")
        try LedgerTrustTests.git(cli, "checkout", "-q", "-b", "pr")
        try LedgerTrustTests.git(cli, "rm", "-rq", Self.folder)
        try LedgerTrustTests.git(cli, "commit", "-q", "-m", "drop svc's import")
        let since = try cli.run(["verify", "--since", "main"])
        #expect(since.status == 3 && since.stdout.contains("Checklists/svc/records/checklist"), "\(since.stdout)\(since.stderr)")
        let gate = try cli.run(["gate"])
        #expect(gate.status != 0, "svc's obligations vanished and the gate passes: \(gate.stdout)")
    }

    /// attest never writes outside Checklists/, Reports/, .attest/: an attachments/ symlink is exit 2.
    @Test func anAttachmentsSymlinkIsRefused() throws {
        let cli = try Self.workspace()
        let outside = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent("Checklists/svc/attachments").path,
                                                   withDestinationPath: outside.url.path)
        try cli.directory.write("e.txt", "evidence")
        let tick = try cli.run(["tick", "SVC-01", "--file", "e.txt", "--by", "admin"])
        let written = FileManager.default.enumerator(atPath: outside.url.path)?.allObjects ?? []
        #expect(tick.status == 2 && written.isEmpty, "tick exit \(tick.status), wrote outside the workspace: \(written)")
    }

    /// Reports/ must be a real folder, else exit 2; nothing is written where the link leads.
    @Test func aReportsSymlinkIsRefused() throws {
        let cli = try Self.workspace()
        let outside = try TemporaryDirectory()
        let reports = cli.workspace.appendingPathComponent("Reports")
        try? FileManager.default.removeItem(at: reports)
        try FileManager.default.createSymbolicLink(atPath: reports.path, withDestinationPath: outside.url.path)
        let report = try cli.run(["report"])
        let written = try FileManager.default.contentsOfDirectory(atPath: outside.url.path)
        #expect(report.status == 2 && written.isEmpty, "report exit \(report.status), wrote outside the workspace: \(written)")
    }

    /// A failed report replaces none of its files (the issue's own case: a file-size limit).
    @Test func aReportUnderAFileSizeLimitReplacesNoFile() throws {
        let cli = try Self.workspace()
        try cli.run(["report"]).expectSuccess()
        let names = ["Reports/svc.junit.xml", "Reports/svc.md"]
        let before = try names.map { try Data(contentsOf: cli.workspace.appendingPathComponent($0)) }
        try cli.run(["tick", "SVC-01", "--note", String(repeating: "x", count: 3000), "--by", "admin"]).expectSuccess()
        let limited = try cli.run(["-c", "ulimit -f 4; exec \"$0\" report", CLI.binary.path], executable: "/bin/sh")
        let after = try names.map { try Data(contentsOf: cli.workspace.appendingPathComponent($0)) }
        #expect(limited.status == 0 || after == before, "report exit \(limited.status) yet replaced \(zip(names, zip(before, after)).filter { $0.1.0 != $0.1.1 }.map(\.0))")
    }

    /// SIGKILLed ticks leave nothing under Checklists/ that git status shows besides complete records and
    /// attachments, and the next writing command removes what a killed write left.
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func killedTicksLeaveNothingGitShows() throws {
        let cli = try Self.workspace(git: true)
        try Self.commit(cli, "base")
        let big = cli.directory.url.appendingPathComponent("big.bin")
        try cli.run(["-c", "head -c 67108864 /dev/urandom > big.bin"], executable: "/bin/sh").expectSuccess()
        for attempt in 0..<8 {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["tick", "SVC-01", "--file", big.path, "--by", "admin"]
            process.currentDirectoryURL = cli.workspace
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: 0.05 + 0.03 * Double(attempt))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try FileManager.default.removeItem(at: big)
        try cli.run(["tick", "SVC-02", "--note", "next write", "--by", "admin"]).expectSuccess()
        let porcelain = try LedgerTrustTests.git(cli, "status", "--porcelain", "--untracked-files=all")
        let leftovers = porcelain.split(separator: "\n").filter { !$0.hasSuffix(".json") && !$0.contains("/attachments/sha256/") || $0.contains("/.") }
        #expect(leftovers.isEmpty, "left by killed ticks: \(leftovers)")
    }

    /// Temporary files older than an hour under .attest/tmp/ are removed by any writing command.
    @Test func writingCommandsRemoveStaleTemporaryFiles() throws {
        let cli = try Self.workspace()
        let stale = try cli.directory.write(".attest/tmp/.ev-killed.json.123.456.tmp", "partial")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: stale.path)
        try cli.run(["tick", "SVC-01", "--note", "n", "--by", "admin"]).expectSuccess()
        #expect(!FileManager.default.fileExists(atPath: stale.path), "a two-hour-old temporary file survived a write")
    }

    /// Only an older (or missing) reader version is lenient; a record claiming a newer reader than this attest
    /// has is not "older", so a changed table is exit 3 (here it hides expired evidence and the gate passes).
    @Test func aNewerReaderVersionIsNotLenient() throws {
        let cli = try Self.workspace()
        try cli.run(["tick", "SVC-01", "--note", "a", "--by", "admin"]).expectSuccess()
        try cli.run(["tick", "SVC-02", "--note", "b", "--by", "admin"]).expectSuccess()
        try cli.run(["tick", "SVC-03", "--note", "old", "--effective", "2020-01-01", "--by", "admin"]).expectSuccess()
        #expect(try cli.run(["gate"]).status == 1)
        let (name, original) = try Self.importRecord(cli)
        var forged = original
        forged["id"] = "im-forged"
        forged["follows"] = [String(name.dropLast(5))]
        forged["recordedAt"] = Timestamp.format(Date())
        forged["readerVersion"] = 99
        forged["items"] = (original["items"] as? [[String: Any]] ?? []).map { item in
            var item = item
            item["reviewInterval"] = nil
            return item
        }
        try LedgerTrustTests.write(cli, "\(Self.folder)/im-forged.json", forged)
        let gate = try cli.run(["gate"])
        #expect(gate.status == 3 && gate.stderr.contains("im-forged.json"), "gate exit \(gate.status): \(gate.stdout)\(gate.stderr)")
    }

    /// git's assume-unchanged (or skip-worktree) bit must not hide an edited committed record from verify.
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func assumeUnchangedDoesNotHideAnEditedRecord() throws {
        let cli = try Self.workspace(git: true)
        try cli.run(["tick", "SVC-01", "--note", "original note", "--by", "admin"]).expectSuccess()
        try Self.commit(cli, "base")
        let record = try #require(cli.files().first { $0.hasPrefix("Checklists/svc/records/SVC-01/") })
        try LedgerTrustTests.git(cli, "update-index", "--assume-unchanged", record)
        let url = cli.workspace.appendingPathComponent(record)
        try Data(String(decoding: try Data(contentsOf: url), as: UTF8.self).replacingOccurrences(of: "original note", with: "FORGED note").utf8).write(to: url)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 3 && verify.stdout.contains(record), "verify exit \(verify.status): \(verify.stdout)")
    }

    /// A shallow clone whose REV was fetched without the history between is missing history (exit 2, saying to
    /// fetch it), not a rewrite (exit 3).
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func aShallowCloneIsMissingHistoryNotARewrite() throws {
        let cli = try Self.workspace(git: true)
        try Self.commit(cli, "base")
        try LedgerTrustTests.git(cli, "checkout", "-q", "-b", "feature")
        for index in 1...3 {
            try cli.run(["tick", "SVC-01", "--note", "n\(index)", "--by", "admin"]).expectSuccess()
            try Self.commit(cli, "c\(index)")
        }
        let clone = try TemporaryDirectory()
        let target = clone.url.appendingPathComponent("c").path
        try LedgerTrustTests.git(cli, "clone", "-q", "--depth", "1", "--branch", "feature", "file://\(cli.workspace.path)", target)
        let cloned = URL(fileURLWithPath: target)
        _ = try cli.run(["fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"], in: cloned, executable: "/usr/bin/git")
        let since = try cli.run(["verify", "--since", "origin/main"], in: cloned)
        #expect(since.status == 2 && (since.stdout + since.stderr).contains("fetch"), "exit \(since.status): \(since.stdout)\(since.stderr)")
    }
    /// .attest/ must be a real folder, else exit 2: a read-only command must not write its stat cache where a
    /// link leads.
    @Test func anAttestSymlinkIsRefusedByReadingCommands() throws {
        let cli = try Self.workspace()
        try cli.directory.write("e.txt", "evidence")
        try cli.run(["tick", "SVC-01", "--file", "e.txt", "--by", "admin"]).expectSuccess()
        let outside = try TemporaryDirectory()
        let attest = cli.workspace.appendingPathComponent(".attest")
        try? FileManager.default.removeItem(at: attest)
        try FileManager.default.createSymbolicLink(atPath: attest.path, withDestinationPath: outside.url.path)
        let status = try cli.run(["status"])
        let written = try FileManager.default.contentsOfDirectory(atPath: outside.url.path)
        #expect(written.isEmpty, "status (exit \(status.status)) wrote outside the workspace: \(written)")
    }
    /// A symlink where an attachment belongs is exit 2 (contract), never read through as an intact attachment.
    @Test func aSymlinkedAttachmentIsAnInputError() throws {
        let cli = try Self.workspace()
        try cli.directory.write("e.txt", "evidence")
        try cli.run(["tick", "SVC-01", "--file", "e.txt", "--by", "admin"]).expectSuccess()
        let stored = try #require(cli.files().first { $0.contains("/attachments/sha256/") })
        let outside = try TemporaryDirectory()
        let copy = try outside.write("copy", "evidence")
        try FileManager.default.removeItem(at: cli.workspace.appendingPathComponent(stored))
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent(stored).path, withDestinationPath: copy.path)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 2 && (verify.stdout + verify.stderr).contains(stored), "verify exit \(verify.status): \(verify.stdout)")
    }
    /// An import record holding an item numbered Int.max (schema-valid: number >= 1, ID pattern) crashes the
    /// next import (arithmetic overflow) instead of an input error naming the file and field.
    @Test func anItemNumberOfIntMaxDoesNotCrashImport() throws {
        let cli = try Self.workspace()
        let (name, original) = try Self.importRecord(cli)
        var forged = original
        var items = try #require(original["items"] as? [[String: Any]])
        var extra = items[0]
        extra["id"] = "SVC-\(Int.max)"
        extra["number"] = Int.max
        extra["key"] = "/zzz"
        extra["task"] = "zzz"
        items.append(extra)
        forged["id"] = "im-big"
        forged["follows"] = [String(name.dropLast(5))]
        forged["items"] = items
        forged["recordedAt"] = Timestamp.format(Date())
        try LedgerTrustTests.write(cli, "\(Self.folder)/im-big.json", forged)
        try cli.directory.write("v3.md", Self.header + "| Alpha | A | R |\n| New row | A | R |\n")
        let imported = try cli.run(["import", "v3.md", "--checklist", "svc", "--by", "admin"])
        #expect(imported.status == 2 || imported.status == 3, "import exit \(imported.status) (132 is a crash): \(imported.stderr.prefix(300))")
    }
    /// Checklists/<id>/ must be a real folder, else exit 2: a symlink there must not make the checklist vanish
    /// from gate and verify (which then pass on the other checklists), even with its files committed.
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func aSymlinkedChecklistFolderDoesNotVanish() throws {
        let cli = try Self.workspace(git: true)
        try cli.directory.write("o.md", Self.header + "| Delta | A | R |\n")
        try cli.run(["import", "o.md", "--checklist", "other", "--by", "admin"]).expectSuccess()
        try cli.run(["tick", "OTHER-01", "--checklist", "other", "--note", "ok", "--by", "admin"]).expectSuccess()
        try Self.commit(cli, "base")
        let outside = try TemporaryDirectory()
        let folder = cli.workspace.appendingPathComponent("Checklists/svc")
        try FileManager.default.moveItem(at: folder, to: outside.url.appendingPathComponent("svc"))
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: outside.url.appendingPathComponent("svc").path)
        let gate = try cli.run(["gate"])
        let verify = try cli.run(["verify"])
        #expect(gate.status != 0 && verify.status != 0, "gate \(gate.status), verify \(verify.status): \(gate.stdout)\(verify.stdout)")
    }
    /// A legitimate import of a CSV reached through a symlink inside the workspace: import reads it as CSV (by
    /// the link's name), the record keeps the target's name, and re-derivation reads markdown: verify, gate and
    /// report fail with exit 3 on a checklist nobody tampered with.
    @Test func aMatrixImportedThroughASymlinkReDerivesTheSameTable() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("export.txt", "Task,Provider,Customer\nAlpha,A,R\nBeta,R,\n")
        try FileManager.default.createSymbolicLink(atPath: cli.workspace.appendingPathComponent("matrix.csv").path, withDestinationPath: "export.txt")
        try cli.run(["import", "matrix.csv", "--checklist", "svc", "--by", "admin"]).expectSuccess()
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "verify exit \(verify.status): \(verify.stdout)")
    }
    /// attest never writes a record it cannot read back: a tick whose record is over the 1 MiB record limit
    /// (twelve 100 kB links) is refused, instead of bricking status, gate and report with exit 2.
    @Test func tickNeverWritesARecordOverTheReadLimit() throws {
        let cli = try Self.workspace()
        let link = "https://example.com/" + String(repeating: "a", count: 100_000)
        let links = (1...12).flatMap { ["--link", "\(link)\($0)"] }
        let tick = try cli.run(["tick", "SVC-01"] + links + ["--by", "admin"])
        let status = try cli.run(["status"])
        #expect(tick.status == 2 || status.status == 0, "tick exit \(tick.status), then status exit \(status.status): \(status.stderr.prefix(300))")
    }
    /// gate and report compare the working tree with HEAD and exit 3 before 2: a deleted committed import
    /// record is an integrity failure, not only "no import record could be read".
    @Test(.enabled(if: LedgerTrustTests.hasGit, "git is not installed"))
    func aDeletedCommittedImportRecordIsExitThreeInGateAndReport() throws {
        let cli = try Self.workspace(git: true)
        try Self.commit(cli, "base")
        let (name, _) = try Self.importRecord(cli)
        try FileManager.default.removeItem(at: cli.workspace.appendingPathComponent("\(Self.folder)/\(name)"))
        for command in [["gate"], ["report"]] {
            let result = try cli.run(command)
            #expect(result.status == 3 && (result.stdout + result.stderr).contains(name), "\(command) exit \(result.status): \(result.stderr)")
        }
    }
    /// Rules Schemas/import.schema.json states that no command enforces: letters match ^R?A?C?I?$
    /// (customerLetters and every responsibility value), sourceLine >= 1, source.url non-empty.
    @Test(arguments: ["customerLetters", "responsibility", "sourceLine", "source.url"])
    func importSchemaRulesAreEnforced(_ field: String) throws {
        let cli = try Self.workspace()
        let (name, original) = try Self.importRecord(cli)
        var record = original
        var items = try #require(original["items"] as? [[String: Any]])
        switch field {
        case "customerLetters": items[0]["customerLetters"] = "QQ"
        case "responsibility": items[0]["responsibility"] = ["Customer": "zz", "Provider": "A"]
        case "sourceLine": items[0]["sourceLine"] = 0
        default:
            var source = try #require(original["source"] as? [String: Any])
            source["url"] = ""
            record["source"] = source
        }
        record["items"] = items
        try LedgerTrustTests.write(cli, "\(Self.folder)/\(name)", record)
        let status = try cli.run(["status"])
        #expect(status.status == 2 && status.stderr.contains(name), "\(field): status exit \(status.status)")
    }
    /// More rules the schemas state that no command enforces (each accepted with exit 0 now): schemaVersion
    /// ^[0-9]+\\.[0-9]+$, instants with a "T" and two-digit seconds below 60 per RFC 3339's pattern in the
    /// schema, readerVersion >= 1, intervals ^[1-9][0-9]*[dwmy]$.
    @Test(arguments: [
        ("evidence", "schemaVersion", "1.0.0"), ("evidence", "recordedAt", "2026-11-27 12:00:00Z"),
        ("evidence", "recordedAt", "2026-11-27t12:00:00z"), ("import", "readerVersion", "0"), ("import", "reviewInterval", "1Y"),
    ])
    func moreSchemaRulesAreEnforced(_ type: String, _ field: String, _ value: String) throws {
        let cli = try Self.workspace()
        let path: String
        var record: [String: Any]
        if type == "evidence" {
            try cli.run(["tick", "SVC-01", "--note", "a", "--by", "admin"]).expectSuccess()
            path = try #require(cli.files().first { $0.hasPrefix("Checklists/svc/records/SVC-01/") })
            record = try LedgerTrustTests.json(cli, path)
            record[field] = value
        } else {
            let (name, original) = try Self.importRecord(cli)
            path = "\(Self.folder)/\(name)"
            record = original
            if field == "readerVersion" {
                record[field] = Int(value)
            } else {
                var items = try #require(original["items"] as? [[String: Any]])
                items[0][field] = value
                record["items"] = items
            }
        }
        try LedgerTrustTests.write(cli, path, record)
        let status = try cli.run(["status"])
        #expect(status.status == 2 && status.stderr.contains(path), "\(type).\(field) = \(value): status exit \(status.status)")
    }
}
