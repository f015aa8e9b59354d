import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// The ledger is the only truth (issue 7): forged, edited and deleted records are caught, history is
/// append-only, reports are reproducible, imports are atomic, and the schemas are the law.
@Suite struct LedgerTrustTests {
    static let checklist = "Checklists/adobe-commerce-cloud-service"
    static let importFile = "\(checklist)/records/checklist/im-20261127T120035Z-2e24461b.json"

    static let hasGit: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "--version"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The bundled checklist, committed to a fresh git repository.
    static func committedWorkspace() throws -> CLI {
        let cli = try CLI.withDefaultChecklist()
        try git(cli, "init", "-q", "-b", "main")
        try git(cli, "config", "user.email", "alice@example.com")
        try git(cli, "config", "user.name", "Alice")
        try git(cli, "add", "-A")
        try git(cli, "commit", "-q", "-m", "checklist")
        return cli
    }

    @discardableResult
    static func git(_ cli: CLI, _ arguments: String...) throws -> String {
        let result = try cli.run(Array(arguments), executable: "/usr/bin/git")
        #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    static func json(_ cli: CLI, _ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cli.workspace.appendingPathComponent(path))) as? [String: Any])
    }

    static func write(_ cli: CLI, _ path: String, _ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let url = cli.workspace.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    @Test func aForgedImportRecordIsAnIntegrityFailure() throws {
        let cli = try CLI.withDefaultChecklist()
        var forged = try Self.json(cli, Self.importFile)
        forged["id"] = "im-forged"
        forged["recordedAt"] = Timestamp.format(Date())
        forged["items"] = (forged["items"] as? [[String: Any]] ?? []).map { item in
            var item = item
            item["kind"] = "inherited"
            item["customerLetters"] = ""
            var responsibility = item["responsibility"] as? [String: String] ?? [:]
            responsibility["Customer"] = ""
            item["responsibility"] = responsibility
            return item
        }
        try Self.write(cli, "\(Self.checklist)/records/checklist/im-forged.json", forged)
        for command in [["verify"], ["gate"], ["report"]] {
            let result = try cli.run(command)
            #expect(result.status == 3, "\(command): exit \(result.status)\n\(result.stdout)\n\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("records/checklist/im-forged.json"), "\(command) names the forged record")
        }
    }

    /// The same reader version must give the same table exactly; an older one only a table with the same obligations.
    @Test func aTableEditedByHandIsCaughtByItsReaderVersion() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("m.md", "| Task | Provider | Customer |\n| --- | --- | --- |\n| Patch the OS | A | R |\n| Run the network | RA | I |\n")
        try cli.run(["import", "m.md", "--checklist", "svc"]).expectSuccess()
        let folder = "Checklists/svc/records/checklist"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent(folder).path).first)
        var record = try Self.json(cli, "\(folder)/\(name)")
        #expect(record["readerVersion"] as? Int != nil && record["follows"] as? [String] == [])
        var items = try #require(record["items"] as? [[String: Any]])
        items[1]["task"] = "Run the network (reworded by hand)"
        record["items"] = items
        try Self.write(cli, "\(folder)/\(name)", record)
        let same = try cli.run(["verify"])
        #expect(same.status == 3 && same.stdout.contains(name) && same.stdout.contains("SVC-02"), "\(same.stdout)")

        record["readerVersion"] = nil
        try Self.write(cli, "\(folder)/\(name)", record)
        let older = try cli.run(["verify"])
        #expect(older.status == 0 && older.stdout.contains("reads the same source differently") && older.stdout.contains("SVC-02"), "\(older.stdout)")

        items[0]["kind"] = "informed"
        items[0]["customerLetters"] = "I"
        record["items"] = items
        try Self.write(cli, "\(folder)/\(name)", record)
        let lost = try cli.run(["gate"])
        #expect(lost.status == 3 && lost.stderr.contains("SVC-01"), "an obligation the source gives may never be lost: \(lost.stderr)")
    }

    @Test(.enabled(if: hasGit, "git is not installed: the history checks are skipped"))
    func editedOrDeletedCommittedFilesFailVerify() throws {
        let cli = try Self.committedWorkspace()
        try cli.directory.write("evidence.txt", "the review")
        try cli.run(["tick", "ACCS-11", "--file", "evidence.txt", "--note", "reviewed", "--by", "alice@example.com"]).expectSuccess()
        try Self.git(cli, "add", "-A")
        try Self.git(cli, "commit", "-q", "-m", "evidence")
        try cli.run(["verify"]).expectSuccess()
        let record = try #require(cli.files().first { $0.hasPrefix("\(Self.checklist)/records/ACCS-11/") })
        let attachment = try #require(cli.files().first { $0.contains("/attachments/sha256/") })
        let source = "\(Self.checklist)/source/shared-responsibility.md"

        for path in [record, attachment, source, Self.importFile] {
            let url = cli.workspace.appendingPathComponent(path)
            let original = try Data(contentsOf: url)
            var edited = original
            if path.hasSuffix(".json") {
                edited = Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "reviewed", with: "REVIEWED").utf8)
                if edited == original { edited.append(contentsOf: Array(" ".utf8)) }
            } else {
                edited.append(contentsOf: Array("x".utf8))
            }
            try edited.write(to: url)
            let modified = try cli.run(["verify"])
            #expect(modified.status == 3 && modified.stdout.contains(path) && modified.stdout.contains("alice@example.com"),
                    "editing \(path): exit \(modified.status)\n\(modified.stdout)\(modified.stderr)")
            #expect(modified.stdout.contains("(git checkout -- \(path))"), "restored from where it was run: \(modified.stdout)")
            // Run from elsewhere (--workspace), the restore command says where to run it.
            let away = try cli.run(["verify", "--workspace", cli.workspace.path], in: FileManager.default.temporaryDirectory)
            #expect(away.status == 3 && away.stdout.contains("(git -C \(cli.workspace.path) checkout -- \(path))"), "\(away.stdout)")
            try FileManager.default.removeItem(at: url)
            let deleted = try cli.run(["verify"])
            #expect(deleted.status == 3 && deleted.stdout.contains(path) && deleted.stdout.contains("deleted"),
                    "deleting \(path): exit \(deleted.status)\n\(deleted.stdout)\(deleted.stderr)")
            try original.write(to: url)
        }
        try cli.run(["verify"]).expectSuccess()
        // A new, uncommitted record is fine.
        try cli.run(["tick", "ACCS-12", "--note", "done", "--by", "alice@example.com"]).expectSuccess()
        try cli.run(["verify"]).expectSuccess()
        // A committed record moved into another item's folder is an integrity failure first (3, not 2).
        let moved = record.replacingOccurrences(of: "/ACCS-11/", with: "/ACCS-13/")
        try FileManager.default.createDirectory(at: cli.workspace.appendingPathComponent(moved).deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: cli.workspace.appendingPathComponent(record), to: cli.workspace.appendingPathComponent(moved))
        let renamed = try cli.run(["verify"])
        #expect(renamed.status == 3 && renamed.stdout.contains(record), "\(renamed.stdout)\(renamed.stderr)")
    }

    @Test func outsideGitTheCheckIsSkippedAndSaidSo() throws {
        let cli = try CLI.withDefaultChecklist()
        let result = try cli.run(["verify"])
        result.expectSuccess()
        #expect(result.stdout.contains("not a git repository"))
    }

    @Test(.enabled(if: hasGit, "git is not installed: the history checks are skipped"))
    func verifySincePassesWhenHistoryOnlyAdds() throws {
        let cli = try Self.committedWorkspace()
        try Self.git(cli, "checkout", "-q", "-b", "feature")
        try cli.run(["tick", "ACCS-11", "--note", "reviewed", "--by", "bob@example.com"]).expectSuccess()
        try Self.git(cli, "add", "-A")
        try Self.git(cli, "-c", "user.name=Bob", "-c", "user.email=bob@example.com", "commit", "-q", "-m", "add evidence")
        try cli.run(["verify", "--since", "main"]).expectSuccess()

        let record = try #require(cli.files().first { $0.hasPrefix("\(Self.checklist)/records/ACCS-11/") })
        let url = cli.workspace.appendingPathComponent(record)
        try Data(String(decoding: try Data(contentsOf: url), as: UTF8.self).replacingOccurrences(of: "reviewed", with: "forged").utf8).write(to: url)
        try Self.git(cli, "add", "-A")
        try Self.git(cli, "-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "commit", "-q", "-m", "rewrite")
        let since = try cli.run(["verify", "--since", "main"])
        #expect(since.status == 3 && since.stdout.contains("Mallory <mallory@example.com>") && since.stdout.contains("modifies \(record)"),
                "\(since.stdout)\(since.stderr)")
        let unknown = try cli.run(["verify", "--since", "no-such-branch"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no such commit") && unknown.stdout.isEmpty,
                "said before anything is verified, not as a file that could not be read: \(unknown.stdout)\(unknown.stderr)")
    }

    /// Without git to ask, a workspace inside a repository is not taken for one outside any: its history is
    /// the trail, so gate, report and verify refuse (exit 2) instead of skipping the checks (a new user's find:
    /// an edited committed record passed verify in a CI image without git).
    @Test(.enabled(if: hasGit, "git is not installed"))
    func aRepositoryWithoutGitToAskIsRefusedNotSkipped() throws {
        let cli = try Self.committedWorkspace()
        let noGit = try TemporaryDirectory()  // a PATH without git
        let empty = noGit.url
        let before = cli.files()
        for command in [["verify"], ["gate"], ["report"], ["verify", "--since", "HEAD"]] {
            let result = try cli.run(command, environment: ["PATH": empty.path])
            #expect(result.status == 2 && result.stderr.contains("git could not be run") && result.stderr.contains("install git"),
                    "\(command): exit \(result.status)\n\(result.stdout)\(result.stderr)")
        }
        #expect(cli.files() == before, "report wrote nothing")
        // A git that fails (killed, or out of descriptors, is the same) is refused alike, saying how it failed.
        try Data("#!/bin/sh\nexit 1\n".utf8).write(to: empty.appendingPathComponent("git"))
        chmod(empty.appendingPathComponent("git").path, 0o755)
        let failing = try cli.run(["verify"], environment: ["PATH": empty.path])
        #expect(failing.status == 2 && failing.stderr.contains("git rev-parse failed (exit 1)"), "\(failing.stdout)\(failing.stderr)")
        // Outside any repository, the missing git is only a note, as before.
        try FileManager.default.removeItem(at: cli.workspace.appendingPathComponent(".git"))
        let outside = try cli.run(["verify"], environment: ["PATH": empty.path])
        #expect(outside.status == 0 && outside.stdout.contains("not a git repository (or git is missing)"), "\(outside.stdout)\(outside.stderr)")
    }

    /// git told to look elsewhere (a local core.bare or core.worktree) or failing on its second question (HEAD)
    /// must not make an edited committed record pass as "not a repository" or "no commit yet" (an adversary's
    /// finds): gate, report and verify refuse, exit 2. Variables that would place the repository elsewhere
    /// (GIT_DIR, GIT_WORK_TREE: a linked worktree's hook exports GIT_DIR) are not passed on: the edit is caught.
    @Test(.enabled(if: hasGit, "git is not installed"))
    func gitLookingAwayFromTheRepositoryIsRefused() throws {
        let cli = try Self.committedWorkspace()
        let url = cli.workspace.appendingPathComponent(Self.importFile)
        try (Data(contentsOf: url) + Data(" ".utf8)).write(to: url)
        func expectRefused(_ why: String, environment: [String: String?] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws {
            for command in [["verify"], ["gate"], ["report", "--out", "out"]] {
                let result = try cli.run(command, environment: environment)
                #expect(result.status == 2 && result.stderr.contains(why), "\(command): exit \(result.status)\n\(result.stdout)\(result.stderr)",
                        sourceLocation: sourceLocation)
            }
        }
        try Self.git(cli, "config", "core.bare", "true")
        try expectRefused("does not take the workspace for part of a work tree")
        try Self.git(cli, "config", "--unset", "core.bare")
        let elsewhere = try TemporaryDirectory()
        try Self.git(cli, "config", "core.worktree", elsewhere.url.path)
        try expectRefused("does not take the workspace for part of a work tree")
        try Self.git(cli, "config", "core.worktree", cli.workspace.deletingLastPathComponent().path)
        try expectRefused("git's work tree is not the folder")
        try Self.git(cli, "config", "--unset", "core.worktree")
        for environment in [["GIT_WORK_TREE": elsewhere.url.path], ["GIT_WORK_TREE": cli.workspace.deletingLastPathComponent().path],
                            ["GIT_DIR": elsewhere.url.path], ["GIT_DIR": cli.workspace.appendingPathComponent(".git").path]] {
            let result = try cli.run(["verify"], environment: environment)
            #expect(result.status == 3 && result.stdout.contains(Self.importFile), "\(environment): exit \(result.status)\n\(result.stdout)\(result.stderr)")
        }
        // A git that answers the first question and dies on the second (HEAD).
        let wrapper = try TemporaryDirectory()
        try Data("#!/bin/sh\ncase \"$*\" in *--verify*HEAD*) kill -9 $$;; esac\nexec /usr/bin/git \"$@\"\n".utf8)
            .write(to: wrapper.url.appendingPathComponent("git"))
        chmod(wrapper.url.appendingPathComponent("git").path, 0o755)
        for command in [["verify"], ["gate"]] {
            let result = try cli.run(command, environment: ["PATH": wrapper.url.path + ":/usr/bin:/bin"])
            #expect(result.status == 2 && !result.stdout.contains("no commit yet") && result.stderr.contains("run attest again"),
                    "\(command): exit \(result.status)\n\(result.stdout)\(result.stderr)")
        }
        #expect(try cli.run(["verify"]).status == 3, "with git as it is, the edit is caught")
    }

    /// A parent that leaves SIGCHLD ignored (some CI agents and supervisors do) would have the system reap git
    /// before attest learns how it ended: attest takes the default back, and an edited record still fails.
    @Test(.enabled(if: hasGit, "git is not installed"))
    func anIgnoredChildSignalDoesNotHideTheHistory() throws {
        let cli = try Self.committedWorkspace()
        let url = cli.workspace.appendingPathComponent(Self.importFile)
        try (Data(contentsOf: url) + Data(" ".utf8)).write(to: url)
        for command in ["verify", "gate"] {
            let result = try cli.run(["-c", "trap '' CHLD; exec \"$0\" \(command)", CLI.binary.path], executable: "/bin/sh")
            #expect(result.status == 3 && (result.stdout + result.stderr).contains(Self.importFile), "\(command): exit \(result.status)\n\(result.stdout)\(result.stderr)")
        }
    }

    /// `--since` in a repository without a commit says so, not "fetch it".
    @Test(.enabled(if: hasGit, "git is not installed"))
    func sinceInARepositoryWithoutACommitSaysSo() throws {
        let cli = try CLI.withDefaultChecklist()
        try Self.git(cli, "init", "-q", "-b", "main")
        let result = try cli.run(["verify", "--since", "HEAD"])
        #expect(result.status == 2 && result.stderr.contains("no commit yet") && !result.stderr.contains("fetch"), "\(result.stdout)\(result.stderr)")
    }

    /// `--since` outside a repository is said at once, as what it is.
    @Test func sinceOutsideGitIsSaidFirst() throws {
        let cli = try CLI.withDefaultChecklist()
        let result = try cli.run(["verify", "--since", "HEAD~1"])
        #expect(result.status == 2 && result.stderr.contains("--since HEAD~1 needs a git repository") && result.stdout.isEmpty,
                "\(result.stdout)\(result.stderr)")
    }

    @Test func aReportAsOfATimeIgnoresLaterSettings() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.run(["tick", "ACCS-11", "--note", "done", "--by", "alice"]).expectSuccess()
        let log = try #require(try cli.json(["log", "ACCS-11"]) as? [String: Any])
        let asOf = try #require((log["entries"] as? [[String: Any]])?.last?["recordedAt"] as? String)
        try cli.run(["report", "--as-of", asOf, "--out", "before"]).expectSuccess()
        Thread.sleep(forTimeInterval: 0.01)
        try cli.run(["settings", "--review-required", "true"]).expectSuccess()
        try cli.run(["report", "--as-of", asOf, "--out", "after"]).expectSuccess()
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent("before").path) {
            let before = try Data(contentsOf: cli.workspace.appendingPathComponent("before/\(name)"))
            let after = try Data(contentsOf: cli.workspace.appendingPathComponent("after/\(name)"))
            #expect(before == after, "\(name) changed after a later settings record")
        }
        let shown = try cli.run(["show", "ACCS-11"])
        #expect(shown.stdout.contains("review"), "now, review is required: \(shown.stdout)")
    }

    @Test func killedImportsNeverReuseANumber() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        var rows = ["| Task | Provider | Customer |", "| --- | --- | --- |"]
        rows += (1...40).map { "| Task number \($0) | A | R |" }
        try cli.directory.write("v1.md", rows.joined(separator: "\n") + "\n")
        try cli.directory.write("v2.md", (rows + ["| A new task | A | R |"]).joined(separator: "\n") + "\n")
        try cli.run(["import", "v1.md", "--checklist", "svc"]).expectSuccess()
        for attempt in 0..<100 {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["import", attempt % 2 == 0 ? "v2.md" : "v1.md", "--checklist", "svc"]
            process.currentDirectoryURL = cli.workspace
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.04))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // Every import record ever written: one number per task, one task per number.
        let folder = cli.workspace.appendingPathComponent("Checklists/svc/records/checklist")
        var numberOfTask: [String: Int] = [:]
        var taskOfNumber: [Int: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
            for item in record["items"] as? [[String: Any]] ?? [] {
                let task = item["task"] as! String, number = item["number"] as! Int
                #expect(numberOfTask.updateValue(number, forKey: task) ?? number == number, "\(task) got two numbers")
                #expect(taskOfNumber.updateValue(task, forKey: number) ?? task == task, "number \(number) was reused")
            }
        }
        let list = try #require(try cli.json(["list"]) as? [String: Any])
        let ids = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.count >= 40)
        for id in ids { try cli.run(["tick", id, "--note", "ok", "--by", "a"]).expectSuccess() }
    }

    @Test func importsInTwoClonesForkAndANewImportResolvesIt() throws {
        let cli = try CLI.withDefaultChecklist()
        let base = try Self.json(cli, Self.importFile)
        for (index, task) in ["Forked row one", "Forked row two"].enumerated() {
            var fork = base
            fork["id"] = "im-fork-\(index)"
            fork["recordedAt"] = Timestamp.format(Date())
            fork["follows"] = ["im-20261127T120035Z-2e24461b"]
            var items = base["items"] as? [[String: Any]] ?? []
            var extra = items[0]
            extra["id"] = "ACCS-36"
            extra["number"] = 36
            extra["task"] = task
            extra["key"] = "/" + task.lowercased().replacingOccurrences(of: " ", with: "")
            items.append(extra)
            fork["items"] = items
            try Self.write(cli, "\(Self.checklist)/records/checklist/im-fork-\(index).json", fork)
        }
        let status = try cli.run(["status"])
        #expect(status.status == 2 && status.stderr.contains("im-fork-0.json") && status.stderr.contains("im-fork-1.json"), "\(status.stderr)")
        let source = cli.workspace.appendingPathComponent("\(Self.checklist)/source/shared-responsibility.md")
        let resolved = try cli.run(["import", source.path, "--checklist", "adobe-commerce-cloud-service"])
        resolved.expectSuccess()
        #expect(resolved.stdout.contains("resolved a fork"))
        let list = try #require(try cli.json(["list", "--all"]) as? [String: Any])
        let ids = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count && ids.contains("ACCS-37"), "both forks' rows keep distinct numbers: \(ids.suffix(3))")
    }

    @Test func aLandedWorkspaceReadsAndItsDigestStillVerifies() throws {
        let cli = try CLI.withDefaultChecklist()
        // attest 0.1 mirrored the table and settings in checklist.json: it is left untouched and never read.
        let mirror = try cli.directory.write("\(Self.checklist)/checklist.json", #"{"schemaVersion": "1.0", "settings": {"reviewRequired": true}}"#)
        let mirrorBytes = try Data(contentsOf: mirror)
        try cli.run(["tick", "ACCS-11", "--note", "n", "--by", "a"]).expectSuccess()
        #expect(try Data(contentsOf: mirror) == mirrorBytes)
        #expect(try cli.run(["show", "ACCS-11"]).stdout.contains("complete"), "the mirror's settings are not read")
        let status = try #require(try cli.json(["status"]) as? [String: Any])
        let checklist = try #require((status["checklists"] as? [[String: Any]])?.first)
        let counts = try #require(checklist["counts"] as? [String: Int])
        #expect(counts["pending"] == 7 && counts["complete"] == 1, "the landed table, read from its import record: \(counts)")
        // attest 0.1's digest: SHA-256 over "attest-state-v1\t<checklist>\n" and "<id>\t<sha256 of the file>\n" lines.
        let bytes = try Data(contentsOf: cli.workspace.appendingPathComponent(Self.importFile))
        let text = "attest-state-v1\tadobe-commerce-cloud-service\nim-20261127T120035Z-2e24461b\t\(FileHasher.sha256(of: bytes))\n"
        let digest = FileHasher.sha256(of: Data(text.utf8))
        try cli.run(["verify", "--digest", digest, "--as-of", "2026-11-27T12:00:36Z"]).expectSuccess()
        let wrong = try cli.run(["verify", "--digest", String(repeating: "0", count: 64), "--as-of", "2026-11-27T12:00:36Z"])
        #expect(wrong.status == 3)
    }

    @Test(.enabled(if: hasGit, "git is not installed"))
    func theFirstWriteOnALandedWorkspaceChangesNoCommittedFile() throws {
        let cli = try Self.committedWorkspace()
        try cli.run(["tick", "ACCS-11", "--note", "n", "--by", "a"]).expectSuccess()
        try cli.run(["settings", "--review-required", "true", "--by", "a"]).expectSuccess()
        let source = cli.workspace.appendingPathComponent("\(Self.checklist)/source/shared-responsibility.md")
        try cli.run(["import", source.path, "--checklist", "adobe-commerce-cloud-service"]).expectSuccess()
        let porcelain = try Self.git(cli, "status", "--porcelain", "--untracked-files=all")
        let lines = porcelain.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("??") }, "only new files: \(porcelain)")
        try cli.run(["verify"]).expectSuccess()
    }
}

/// A record that breaks a rule of its JSON Schema, or lies in the wrong place, is an input error naming the
/// file and the field in every command that reads it.
@Suite struct SchemaRuleTests {
    nonisolated(unsafe) static let evidence: [String: Any] = [
        "schemaVersion": "1.0", "type": "evidence", "id": "ev-rule", "checklist": "adobe-commerce-cloud-service", "item": "ACCS-12",
        "recordedAt": "2026-11-27T12:00:00Z", "by": "alice", "effective": "2026-11-27",
        "attachments": [["name": "a.pdf", "size": 3, "mediaType": "application/pdf", "sha256": String(repeating: "a", count: 64)]],
        "links": ["https://example.com/1"],
    ]

    /// (what breaks, the file's folder, the record, the field the message must name)
    nonisolated(unsafe) static let cases: [(String, String, [String: Any], String)] = {
        func evidence(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var record = SchemaRuleTests.evidence
            change(&record)
            return record
        }
        func attachment(_ key: String, _ value: Any) -> [String: Any] {
            evidence { record in
                var attachments = record["attachments"] as! [[String: Any]]
                attachments[0][key] = value
                record["attachments"] = attachments
            }
        }
        let waiver: [String: Any] = ["schemaVersion": "1.0", "type": "waiver", "id": "wv-rule", "checklist": "adobe-commerce-cloud-service",
                                     "item": "ACCS-12", "recordedAt": "2026-11-27T12:00:00Z", "by": "alice", "reason": "r",
                                     "approvedBy": "", "until": "2099-01-01"]
        return [
            ("empty approver", "ACCS-12", waiver, "approvedBy"),
            ("hash that is a path", "ACCS-12", attachment("sha256", "../../.."), "attachments[0].sha256"),
            ("negative size", "ACCS-12", attachment("size", -1), "attachments[0].size"),
            ("empty attachment name", "ACCS-12", attachment("name", ""), "attachments[0].name"),
            ("ID with a slash", "ACCS-12", evidence { $0["id"] = "ev/../x" }, "id"),
            ("ID of ..", "ACCS-12", evidence { $0["id"] = ".." }, "id"),
            ("item of another folder", "ACCS-12", evidence { $0["item"] = "ACCS-14" }, "item"),
            ("item that is a path", "ACCS-12", evidence { $0["item"] = "../../../../escape-target" }, "item"),
            ("another checklist", "ACCS-12", evidence { $0["checklist"] = "other" }, "checklist"),
            ("evidence in records/checklist", "checklist", evidence { $0["item"] = nil }, "item"),
            ("empty by", "ACCS-12", evidence { $0["by"] = "" }, "by"),
            ("empty link", "ACCS-12", evidence { $0["links"] = [""] }, "links[0]"),
            ("missing effective", "ACCS-12", evidence { $0["effective"] = nil }, "effective"),
            ("number as by", "ACCS-12", evidence { $0["by"] = 7 }, "by"),
        ]
    }()

    @Test(arguments: 0..<cases.count)
    func aRecordBreakingARuleIsExitTwoNamingFileAndField(_ index: Int) throws {
        let (what, folder, record, field) = Self.cases[index]
        let cli = try CLI.withDefaultChecklist()
        let name = Identifier.isRecordID(record["id"] as? String ?? "") ? "\(record["id"]!).json" : "bad.json"
        let path = "\(LedgerTrustTests.checklist)/records/\(folder)/\(name)"
        try LedgerTrustTests.write(cli, path, record)
        for command in [["status"], ["gate"], ["verify"], ["log"]] {
            let result = try cli.run(command)
            let output = result.stdout + result.stderr
            #expect(result.status == 2 && output.contains(path) && output.contains("\"\(field)\""),
                    "\(what), \(command): exit \(result.status)\n\(output)")
        }
        // A writing command that needs only the checklist's records is not blocked by a bad evidence record.
        if folder != "checklist" { try cli.run(["tick", "ACCS-11", "--note", "n", "--by", "a"]).expectSuccess() }
    }

    @Test func oneIDInTwoItemFoldersIsExitTwoNamingBothFiles() throws {
        let cli = try CLI.withDefaultChecklist()
        let first = "\(LedgerTrustTests.checklist)/records/ACCS-12/ev-rule.json"
        let second = "\(LedgerTrustTests.checklist)/records/ACCS-13/ev-rule.json"
        var evidence = Self.evidence
        evidence["attachments"] = nil  // no missing attachment: that would be an integrity failure, which wins
        var other = evidence
        other["item"] = "ACCS-13"
        try LedgerTrustTests.write(cli, first, evidence)
        try LedgerTrustTests.write(cli, second, other)
        for command in [["status"], ["gate"], ["report"], ["verify"]] {
            let result = try cli.run(command)
            let output = result.stdout + result.stderr
            #expect(result.status == 2 && output.contains("record ID \"ev-rule\" is also used by") && output.contains(first) && output.contains(second),
                    "\(command): exit \(result.status)\n\(output)")
        }
        // One file name in two folders is no duplicate while only one of the records is valid there.
        try FileManager.default.removeItem(at: cli.workspace.appendingPathComponent(second))
        try LedgerTrustTests.write(cli, second, evidence)  // item ACCS-12 in ACCS-13/: an input error of its own
        let result = try cli.run(["status"])
        #expect(result.status == 2 && !result.stderr.contains("also used by") && result.stderr.contains(second), "\(result.stderr)")
    }

    @Test func filesOutsideRecordsAreNeverReadAsRecords() throws {
        let cli = try CLI.withDefaultChecklist()
        try LedgerTrustTests.write(cli, "\(LedgerTrustTests.checklist)/source/matrix.json", Self.evidence)
        try cli.directory.write("\(LedgerTrustTests.checklist)/checklist.json", "{ not json")
        try cli.run(["status"]).expectSuccess()
        try cli.run(["verify"]).expectSuccess()
    }
}
