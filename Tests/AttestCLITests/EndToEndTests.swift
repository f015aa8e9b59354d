import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// The built binary in a temporary workspace: exit codes, files written and files not written.
@Suite struct EndToEndTests {
    static let seed = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/seed/shared-responsibility.md")

    static let matrixV1 = """
        # Service matrix

        | Task | Provider | Customer |
        | --- | --- | --- |
        | Configuring DNS | RA | I |
        | Rotating keys | | RA |
        | Reviewing access | A | R |
        | Retiring legacy API | R | R |

        """

    @Test func importListAndShow() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("vendor/matrix.md", Self.matrixV1)
        let imported = try cli.run(["import", "vendor/matrix.md", "--checklist", "service", "--source-version", "2026-11", "--prefix", "S"])
        imported.expectSuccess()
        #expect(imported.stdout.contains("4 items (3 obligations, 1 informed)"))
        let sha256 = FileHasher.sha256(of: Data(Self.matrixV1.utf8))
        let copy = try Data(contentsOf: cli.workspace.appendingPathComponent("Checklists/service/source/sha256/\(sha256)"))
        #expect(copy == Data(Self.matrixV1.utf8), "the source is copied byte for byte, named by its SHA-256")
        let list = try #require(try cli.json(["list"]) as? [String: Any])
        let items = try #require(list["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == ["S-01", "S-02", "S-03", "S-04"])
        let first = items[0]
        #expect(first["task"] as? String == "Configuring DNS" && first["section"] as? String == "Service matrix")
        #expect(first["kind"] as? String == "informed" && first["required"] as? Bool == false && first["status"] as? String == "pending")
        #expect(first["responsibility"] as? [String: String] == ["Provider": "RA", "Customer": "I"])
        let shown = try #require(try cli.json(["show", "rotating"]) as? [String: Any])
        #expect(shown["id"] as? String == "S-02" && (shown["records"] as? [Any])?.isEmpty == true)
        let text = try cli.run(["list"])
        #expect(!text.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        // --status filters what the listing shows: the informed item (status "-") is not pending.
        let pending = try #require(try cli.json(["list", "--status", "pending"]) as? [String: Any])
        #expect((pending["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["S-02", "S-03", "S-04"])
    }

    /// On a terminal (util-linux `script` gives one) attest colours its output, unless NO_COLOR is set.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux script is absent: terminal check skipped"))
    func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let cli = try CLI.withDefaultChecklist()
        let command = "\(CLI.binary.path) status"
        let coloured = try cli.run(["-qec", command, "/dev/null"], executable: "/usr/bin/script", environment: ["TERM": "xterm", "NO_COLOR": nil])
        #expect(coloured.status == 0 && coloured.stdout.contains("\u{1B}[31mFAIL"), "\(coloured.stdout.debugDescription)")
        let plain = try cli.run(["-qec", command, "/dev/null"], executable: "/usr/bin/script", environment: ["TERM": "xterm", "NO_COLOR": "1"])
        #expect(plain.status == 0 && plain.stdout.contains("FAIL") && !plain.stdout.contains("\u{1B}["))
    }

    @Test func badImportsExitTwoAndWriteNothing() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        let before = cli.files()
        let missing = try cli.run(["import", "vendor/none.md", "--checklist", "service"])
        #expect(missing.status == 2 && missing.stderr.contains("vendor/none.md: error: no such file"))
        try cli.directory.write("vendor/matrix.md", Self.matrixV1)
        let party = try cli.run(["import", "vendor/matrix.md", "--checklist", "service", "--party", "Tenant"])
        #expect(party.status == 2 && party.stderr.contains("\"Provider\", \"Customer\""))
        try cli.directory.write("vendor/bad.md", "# M\n\n| Task | Provider | Customer |\n| --- | --- | --- |\n| Keys | R | perhaps |\n")
        let letters = try cli.run(["import", "vendor/bad.md", "--checklist", "service"])
        #expect(letters.status == 2 && letters.stderr.hasPrefix("vendor/bad.md:5:"))
        let id = try cli.run(["import", "vendor/matrix.md", "--checklist", "Bad_ID"])
        #expect(id.status == 2 && id.stderr.contains("not a checklist ID"))
        let dry = try cli.run(["import", "vendor/matrix.md", "--checklist", "service", "--dry-run"])
        dry.expectSuccess()
        #expect(dry.stdout.contains("Would import"))
        let dryJSON = try #require(try cli.json(["import", "vendor/matrix.md", "--checklist", "service", "--dry-run"]) as? [String: Any])
        #expect(dryJSON["dryRun"] as? Bool == true && dryJSON["record"] == nil && (dryJSON["kinds"] as? [String: Int])?["obligation"] == 3)
        #expect(Set(cli.files()) == Set(before).union(["vendor/bad.md", "vendor/matrix.md"]), "only the matrices the test wrote")
        let usage = try cli.run(["list", "--no-such-option"])
        #expect(usage.status == 2, "usage errors exit 2, not ArgumentParser's 64")
    }

    @Test func reimportReportsAddedRemovedAndChanged() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.directory.write("m.md", Self.matrixV1)
        try cli.run(["import", "m.md", "--checklist", "service", "--prefix", "s"]).expectSuccess()
        try cli.run(["tick", "S-03", "--note", "reviewed", "--by", "alice"]).expectSuccess()
        try cli.directory.write("m.md", Self.matrixV1.replacingOccurrences(of: "| Reviewing access | A | R |", with: "| Reviewing access | | RA |")
            .replacingOccurrences(of: "| Retiring legacy API | R | R |\n", with: "| Monitoring quotas monthly | I | RA |\n"))
        let again = try cli.run(["import", "m.md", "--checklist", "service"])
        again.expectSuccess()
        #expect(again.stdout.contains("added: 1\n    S-05  Monitoring quotas monthly"))
        #expect(again.stdout.contains("removed (retired): 1\n    S-04  Retiring legacy API"))
        #expect(again.stdout.contains("S-03  Reviewing access (customer letters now \"RA\": re-confirm evidence)"))
        let list = try #require(try cli.json(["list", "--all"]) as? [String: Any])
        let statuses = Dictionary(uniqueKeysWithValues: (list["items"] as! [[String: Any]]).map { ($0["id"] as! String, $0["status"] as! String) })
        #expect(statuses["S-03"] == "reconfirm" && statuses["S-04"] == "retired")
        let imports = try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent("Checklists/service/records/checklist").path)
        #expect(imports.count == 2, "each import leaves an import record")
    }

    @Test func evidenceRevocationWaiverAndTheLog() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("evidence/report.txt", "integration review, signed")
        let tick = try cli.run(["tick", "ACCS-11", "--file", "evidence/report.txt", "--link", "https://tickets.example.com/SEC-1",
                                "--note", "Q3 review", "--by", "alice@example.com", "--valid-until", "2099-12-31"])
        tick.expectSuccess()
        let shown = try #require(try cli.json(["show", "ACCS-11"]) as? [String: Any])
        #expect(shown["status"] as? String == "complete")
        let records = try #require(shown["records"] as? [[String: Any]])
        let evidence = try #require(records.first)
        #expect(evidence["type"] as? String == "evidence" && evidence["by"] as? String == "alice@example.com" && evidence["note"] as? String == "Q3 review")
        #expect(evidence["links"] as? [String] == ["https://tickets.example.com/SEC-1"])
        let attachment = try #require((evidence["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["name"] as? String == "report.txt" && attachment["size"] as? Int == 26)
        let hash = try #require(attachment["sha256"] as? String)
        #expect(FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service/attachments/sha256/\(hash.prefix(2))/\(hash)").path))

        let id = try #require(evidence["id"] as? String)
        let review = try cli.run(["review", id, "--accept", "--by", "alice@example.com"])
        #expect(review.status == 2 && review.stderr.contains("cannot review it"))
        try cli.run(["revoke", id, "--reason", "wrong file", "--by", "bob"]).expectSuccess()
        let twice = try cli.run(["revoke", id, "--reason", "again"])
        #expect(twice.status == 2 && twice.stderr.contains("was revoked already"))
        #expect((try cli.json(["show", "ACCS-11"]) as? [String: Any])?["status"] as? String == "pending")

        let past = try cli.run(["waive", "ACCS-12", "--reason", "r", "--approved-by", "ciso", "--until", "2020-01-01"])
        #expect(past.status == 2 && past.stderr.contains("has passed"))
        let badDate = try cli.run(["waive", "ACCS-12", "--reason", "r", "--approved-by", "ciso", "--until", "31/12/2099"])
        #expect(badDate.status == 2 && badDate.stderr.contains("not a date"))
        try cli.run(["waive", "ACCS-12", "--reason", "migration", "--approved-by", "ciso", "--until", "2099-01-31"]).expectSuccess()
        try cli.run(["na", "theming", "--reason", "no custom apps", "--approved-by", "cto"]).expectSuccess()
        let unknown = try cli.run(["tick", "ACCS-99", "--note", "x"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no item matches \"ACCS-99\"") && unknown.stderr.contains("did you mean"))
        let directory = try cli.run(["tick", "ACCS-11", "--file", "evidence"])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory"))

        let log = try #require(try cli.json(["log"]) as? [String: Any])
        let types = (log["entries"] as? [[String: Any]])?.map { $0["type"] as? String }
        #expect(types == ["import", "evidence", "revocation", "waiver", "not-applicable"])
        let text = try cli.run(["log", "ACCS-11"])
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].contains("imported") && lines[2].contains("revoked"), "the item's import, evidence and revocation")
    }

    @Test func brokenRecordsAreReportedNotGuessed() throws {
        let cli = try CLI.withDefaultChecklist()
        let folder = "Checklists/adobe-commerce-cloud-service/records/ACCS-11"
        try cli.directory.write("\(folder)/hand-edited.json", "{\n  \"schemaVersion\": \"1.0\",\n  \"type\": evidence\n}\n")
        let malformed = try cli.run(["status"])
        #expect(malformed.status == 2 && malformed.stderr.hasPrefix("\(folder)/hand-edited.json:3:11: error: not valid JSON"), "\(malformed.stderr)")
        try cli.directory.write("\(folder)/hand-edited.json", """
            {"schemaVersion": "1.0", "type": "evidence", "id": "x1", "checklist": "adobe-commerce-cloud-service", "item": "ACCS-11",
             "recordedAt": "2026-01-01T00:00:00Z", "effective": "2026-01-01"}
            """)
        let field = try cli.run(["status"])
        #expect(field.status == 2 && field.stderr.contains("\(folder)/hand-edited.json: error: missing key \"by\""))
        try cli.directory.write("\(folder)/hand-edited.json", """
            {"schemaVersion": "3.1", "type": "evidence", "id": "x1", "checklist": "adobe-commerce-cloud-service"}
            """)
        let newer = try cli.run(["gate"])
        #expect(newer.status == 2 && newer.stderr.contains("upgrade attest"))
    }

    @Test func eightConcurrentTickersLoseNothing() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("shared-evidence.txt", "the same file from every process")
        let items = ["ACCS-11", "ACCS-12", "ACCS-13", "ACCS-14", "ACCS-19", "ACCS-28", "ACCS-31", "ACCS-32"]
        let processes = try items.enumerated().map { worker, item -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", """
                for i in $(seq 1 25); do
                  "\(CLI.binary.path)" tick \(item) --file shared-evidence.txt --note "worker \(worker) tick $i" --by worker\(worker) || exit 1
                done
                """]
            process.currentDirectoryURL = cli.workspace
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let log = try #require(try cli.json(["log"]) as? [String: Any])
        let entries = try #require(log["entries"] as? [[String: Any]])
        #expect(entries.filter { $0["type"] as? String == "evidence" }.count == 200)
        #expect(Set(entries.compactMap { $0["id"] as? String }).count == 201)
        let verify = try cli.run(["verify"])
        verify.expectSuccess()
        let status = try #require(((try cli.json(["status"]) as? [String: Any])?["checklists"] as? [[String: Any]])?.first)
        #expect(status["satisfied"] as? Int == 8)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service/attachments").path)
            .filter { $0.split(separator: "/").count == 3 && !$0.split(separator: "/").last!.hasPrefix(".") }
        #expect(stored.count == 1, "one file, stored once, for 200 ticks")
    }

    @Test func gateReportAndVerifyOnTheDefaultChecklist() throws {
        let cli = try CLI.withDefaultChecklist()
        let gate = try cli.run(["gate"])
        #expect(gate.status == 1 && gate.stdout.contains("8 of 8 obligations unsatisfied"))
        try cli.run(["report"]).expectSuccess()
        let junit = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.junit.xml"), encoding: .utf8)
        #expect(junit.contains("tests=\"8\" failures=\"8\" errors=\"0\""))
        #expect(junit.components(separatedBy: "<failure ").count - 1 == 8)

        let obligations = ["ACCS-11", "ACCS-12", "ACCS-13", "ACCS-14", "ACCS-19", "ACCS-28", "ACCS-31", "ACCS-32"]
        for (index, item) in obligations.enumerated() {
            try cli.directory.write("evidence/\(item).txt", "evidence \(index)")
            try cli.run(["tick", item, "--file", "evidence/\(item).txt", "--by", "admin@example.com"]).expectSuccess()
        }
        let passing = try cli.run(["gate"])
        #expect(passing.status == 0 && passing.stdout.contains("PASS"), "\(passing.stdout)\(passing.stderr)")
        try cli.run(["verify"]).expectSuccess()

        // Alter one stored attachment: an integrity failure.
        let hash = try #require(FileManager.default.subpathsOfDirectory(atPath: cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service/attachments/sha256").path)
            .first { $0.split(separator: "/").count == 2 })
        let stored = cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service/attachments/sha256/\(hash)")
        chmod(stored.path, 0o644)
        try Data("tampered".utf8).write(to: stored)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 3 && verify.stdout.contains("altered"))
        #expect(try cli.run(["gate"]).status == 3)
        let report = try cli.run(["report"])
        #expect(report.status == 3, "report writes both files and still exits 3")
        let markdown = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.md"), encoding: .utf8)
        #expect(markdown.contains("**broken**") && markdown.contains("**ALTERED**"))
        let brokenJUnit = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.junit.xml"), encoding: .utf8)
        #expect(brokenJUnit.contains("<error message=\"broken:"))
        #expect(brokenJUnit.contains("classname=\"adobe-commerce-cloud-service.integrity\"") && brokenJUnit.contains("type=\"integrity\""),
                "each integrity failure is an error test case of its own")
        #expect(markdown.contains("## Integrity failures: "))
    }

    @Test func reportsAreReproducibleAndTheDigestDetectsChange() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.run(["tick", "ACCS-11", "--note", "done", "--by", "a", "--effective", "2026-01-05"]).expectSuccess()
        let asOf = "2099-01-01"
        try cli.run(["report", "--as-of", asOf, "--out", "first"]).expectSuccess()
        try cli.run(["report", "--as-of", asOf, "--out", "second"]).expectSuccess()
        for name in ["adobe-commerce-cloud-service.junit.xml", "adobe-commerce-cloud-service.md", "adobe-commerce-cloud-service.oscal-ar.json"] {
            let first = try Data(contentsOf: cli.workspace.appendingPathComponent("first/\(name)"))
            let second = try Data(contentsOf: cli.workspace.appendingPathComponent("second/\(name)"))
            #expect(first == second, "\(name) differs between two runs with the same --as-of")
        }
        let markdown = try String(contentsOf: cli.workspace.appendingPathComponent("first/adobe-commerce-cloud-service.md"), encoding: .utf8)
        let command = try #require(markdown.split(separator: "\n").first { $0.contains("attest verify --checklist") })
        let digest = String(try #require(command.split(separator: " ").drop { $0 != "--digest" }.dropFirst().first))
        let reportAsOf = String(try #require(command.split(separator: " ").drop { $0 != "--as-of" }.dropFirst().first).dropLast())
        try cli.run(["verify", "--digest", digest, "--as-of", reportAsOf]).expectSuccess()
        // A record dropped in later, dated inside the report's window, changes the state it describes.
        try cli.directory.write("Checklists/adobe-commerce-cloud-service/records/ACCS-12/late-1.json", """
            {"schemaVersion": "1.0", "type": "evidence", "id": "late-1", "checklist": "adobe-commerce-cloud-service", "item": "ACCS-12",
             "recordedAt": "2026-02-01T00:00:00Z", "by": "ci", "effective": "2026-02-01"}
            """)
        let changed = try cli.run(["verify", "--digest", digest, "--as-of", reportAsOf])
        #expect(changed.status == 3 && changed.stdout.contains("DOES NOT MATCH"))
        try FileManager.default.removeItem(at: cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service/records/ACCS-12/late-1.json"))

        // With a second checklist, a digest (one checklist's) needs --checklist: against the other it could only fail.
        try cli.directory.write("vendor/matrix.md", "| Task | Provider | Customer |\n| --- | --- | --- |\n| Back up data | I | RA |\n")
        try cli.run(["import", "vendor/matrix.md", "--checklist", "second", "--prefix", "S"]).expectSuccess()
        let several = try cli.run(["verify", "--digest", digest, "--as-of", reportAsOf])
        #expect(several.status == 2 && several.stderr.contains("--digest is the digest of one checklist's state")
                && several.stderr.contains("adobe-commerce-cloud-service, second") && !several.stdout.contains("DOES NOT MATCH"),
                "exit \(several.status)\n\(several.stdout)\n\(several.stderr)")
        try cli.run(["verify", "--checklist", "adobe-commerce-cloud-service", "--digest", digest, "--as-of", reportAsOf]).expectSuccess()
        // Without a digest, both are verified and the workspace's git check is said on a line of its own.
        let both = try cli.run(["verify"])
        #expect(both.status == 0 && both.stdout.contains("second: ") && both.stdout.contains("every checklist, against git")
                && !both.stdout.contains("workspace: 0 records"), "\(both.stdout)")
    }

    @Test func aFileSizeLimitFailsTheWriteInsteadOfKillingAttest() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("big.bin", String(repeating: "evidence ", count: 400_000))
        let before = cli.files()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 100; exec \"$0\" tick ACCS-11 --file big.bin --by a", CLI.binary.path]
        process.currentDirectoryURL = cli.workspace
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(message)")
        #expect(message.contains("File too large") && message.contains("nothing was recorded"))
        #expect(cli.files() == before, "nothing is left written")
    }

    /// A report interrupted (a runner's SIGTERM, Ctrl-C) leaves the reports as they were or wholly new, and no
    /// temporary file behind: at 10^5 records those were 285 MB, removed by the next writing command an hour later.
    @Test func anInterruptedReportLeavesNoTemporaryFiles() throws {
        let cli = try CLI.withDefaultChecklist()
        // Enough evidence that writing the reports takes a while: records written straight to their files.
        let folder = "Checklists/adobe-commerce-cloud-service/records/ACCS-11"
        for number in 0..<4000 {
            let id = String(format: "ev-20270101T000000Z-%08x", number)
            try cli.directory.write("\(folder)/\(id).json", """
                {"schemaVersion": "1.0", "type": "evidence", "id": "\(id)", "checklist": "adobe-commerce-cloud-service", "item": "ACCS-11",
                 "recordedAt": "2027-01-01T00:00:00Z", "by": "ci", "effective": "2027-01-01", "note": "renewal \(number) \(String(repeating: "x", count: 400))"}
                """)
        }
        let asOf = "2027-06-01T00:00:00Z"  // after the bundled checklist's import
        try cli.run(["report", "--as-of", asOf, "--out", "reference"]).expectSuccess()
        try cli.run(["report", "--as-of", asOf]).expectSuccess()
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent("reference").path).sorted()
        let reference = try names.map { try Data(contentsOf: cli.workspace.appendingPathComponent("reference/\($0)")) }
        let temporary = cli.workspace.appendingPathComponent(".attest/tmp")
        var interrupted = 0
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8] {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["report", "--as-of", asOf]
            process.currentDirectoryURL = cli.workspace
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal {
                interrupted += 1
                #expect(process.terminationStatus == SIGTERM, "ended by the signal it got")
            } else {
                #expect(process.terminationStatus == 0, "after a SIGTERM at \(delay) s: \(process.terminationReason) \(process.terminationStatus)")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            #expect(left.isEmpty, "after a SIGTERM at \(delay) s: \(left)")
            let reports = try names.map { try Data(contentsOf: cli.workspace.appendingPathComponent("Reports/\($0)")) }
            #expect(reports == reference, "after a SIGTERM at \(delay) s the reports are whole (the same state and as-of: the same bytes)")
        }
        #expect(interrupted > 0, "no report was interrupted: the workspace is too small for this machine")
    }

    @Test func severalChecklists() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("m.md", Self.matrixV1)
        try cli.run(["import", "m.md", "--checklist", "service"]).expectSuccess()
        let list = try cli.run(["list"])
        #expect(list.status == 2 && list.stderr.contains("several checklists (adobe-commerce-cloud-service, service)"))
        try cli.run(["list", "--checklist", "service"]).expectSuccess()
        try cli.run(["report"]).expectSuccess()
        let reports = try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent("Reports").path).sorted()
        #expect(reports == ["adobe-commerce-cloud-service.junit.xml", "adobe-commerce-cloud-service.md", "adobe-commerce-cloud-service.oscal-ar.json",
                            "service.junit.xml", "service.md", "service.oscal-ar.json"])
        let gate = try #require(try cli.json(["gate"]) as? [String: Any])
        #expect((gate["checklists"] as? [Any])?.count == 2 && gate["passes"] as? Bool == false)
        let unknown = try cli.run(["status", "--checklist", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("the workspace has: adobe-commerce-cloud-service, service"))
    }

    @Test func helpTeachesAndExitsZero() throws {
        let cli = try CLI()
        let help = try cli.run(["--help"])
        help.expectSuccess()
        for command in ["init", "import", "list", "show", "tick", "revoke", "waive", "na", "review", "settings", "status", "log", "report", "gate", "verify", "lint"] {
            #expect(help.stdout.contains("  \(command)"), "--help lists \(command)")
        }
        #expect(help.stdout.contains("Exit codes"))
        let outside = try cli.run(["status"])
        #expect(outside.status == 2 && outside.stderr.contains("attest init"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: seed.path), "../shared/seed is absent: seed lint skipped"))
    func lintFindsTheSeedsRowsWithoutAnAccountableParty() throws {
        let cli = try CLI()
        let lint = try cli.run(["lint", Self.seed.path])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("no party is Accountable (no-accountable): Debugging and issue isolation"))
        try cli.directory.write("odd.md", "| Task | Provider | Customer |\n| --- | --- | --- |\n| Keys | A | perhaps |\n")
        let odd = try cli.run(["lint", "odd.md", "--format", "json"])
        #expect(odd.status == 1 && odd.stdout.contains("\"anomaly\" : \"unreadable-letters\""), "lint reports what import refuses")
        try cli.directory.write("clean.md", "| Task | Provider | Customer |\n| --- | --- | --- |\n| Keys | I | RA |\n")
        #expect(try cli.run(["lint", "clean.md"]).status == 0)
    }
}
