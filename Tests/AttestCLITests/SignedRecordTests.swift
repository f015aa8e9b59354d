import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// Provable sign-offs end to end (issue 10), with keys made by the real ssh-keygen and ssh-keygen -Y verify
/// as the oracle for every signature attest writes.
@Suite struct SignedRecordTests {
    static let sshKeygen: String? = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen", "/usr/local/bin/ssh-keygen"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let skip: Comment = "ssh-keygen is not installed (openssh-client): the signing tests are skipped"

    /// A workspace with the bundled matrix imported and signed by alice, and keys for alice, bob and ciso.
    static func workspace(_ type: [String] = ["-t", "ed25519"]) throws -> CLI {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        for name in ["alice", "bob", "ciso"] {
            let made = try cli.run(["-q", "-N", "", "-C", name] + type + ["-f", "\(name).key"], executable: sshKeygen!)
            #expect(made.status == 0, "\(made.stderr)")
            try cli.run(["signers", "add", "\(name)@example.com", "\(name).key.pub"]).expectSuccess()
        }
        let matrix = CLI.root.appendingPathComponent("Checklists/adobe-commerce-cloud-service/source/shared-responsibility.md").path
        let imported = try cli.run(["import", matrix, "--checklist", "acme", "--by", "alice@example.com", "--key", "alice.key"])
        imported.expectSuccess()
        #expect(imported.stdout.contains("signed by alice@example.com: Checklists/acme/records/checklist/im-"), "\(imported.stdout)")
        return cli
    }

    static func as_(_ name: String) -> [String] { ["--by", "\(name)@example.com", "--key", "\(name).key"] }

    /// Every `.sig` in the workspace checked by `ssh-keygen -Y verify` for its record's `by` at its `recordedAt`.
    static func checkEverySignatureWithSSHKeygen(_ cli: CLI) throws -> Int {
        var checked = 0
        for path in cli.files() where path.hasSuffix(".json.sig") {
            let recordPath = String(path.dropLast(4))
            let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cli.workspace.appendingPathComponent(recordPath))) as? [String: Any])
            let by = try #require(record["by"] as? String)
            let recordedAt = try #require((record["recordedAt"] as? String).flatMap(Timestamp.parseInstant))
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMddHHmmss'Z'"
            formatter.timeZone = TimeZone(identifier: "UTC")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sshKeygen!)
            process.arguments = ["-Y", "verify", "-f", "allowed_signers", "-I", by, "-n", "attest", "-s", path,
                                 "-Overify-time=\(formatter.string(from: recordedAt))"]
            process.currentDirectoryURL = cli.workspace
            process.standardInput = try FileHandle(forReadingFrom: cli.workspace.appendingPathComponent(recordPath))
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "ssh-keygen -Y verify refuses \(path)")
            checked += 1
        }
        return checked
    }

    @Test(.enabled(if: sshKeygen != nil, skip), arguments: [["-t", "ed25519"], ["-t", "ecdsa", "-b", "256"], ["-t", "rsa", "-b", "3072"]])
    func everySignatureAttestWritesPassesSSHKeygen(_ type: [String]) throws {
        let cli = try Self.workspace(type)
        try cli.directory.write("e.txt", "evidence")
        let tick = try cli.run(["tick", "ACME-11", "--file", "e.txt", "--note", "n"] + Self.as_("alice"))
        tick.expectSuccess()
        let waive = try cli.run(["waive", "ACME-13", "--reason", "r", "--approved-by", "ciso@example.com", "--until", "2099-01-01"] + Self.as_("alice"))
        waive.expectSuccess()
        let log = try #require(try cli.json(["log"]) as? [String: Any])
        let waiver = try #require((log["entries"] as? [[String: Any]])?.first { $0["type"] as? String == "waiver" }?["id"] as? String)
        let approve = try cli.run(["approve", waiver] + Self.as_("ciso"))
        approve.expectSuccess()
        let settings = try cli.run(["settings", "--review-required", "true"] + Self.as_("alice"))
        settings.expectSuccess()
        // Every signed write says so, who signed and where the signature went.
        for (result, signer) in [(tick, "alice"), (waive, "alice"), (approve, "ciso"), (settings, "alice")] {
            #expect(result.stdout.contains("signed by \(signer)@example.com: ") && result.stdout.contains(".json.sig"), "\(result.stdout)")
        }
        #expect(try Self.checkEverySignatureWithSSHKeygen(cli) == 5)
        try cli.run(["verify"]).expectSuccess()
    }

    @Test(.enabled(if: sshKeygen != nil, skip))
    func requiredSignaturesAndApprovals() throws {
        let cli = try Self.workspace()
        // Required only once the import in effect is signed, and only by a signed settings record.
        try cli.run(["settings", "--signatures", "required"] + Self.as_("alice")).expectSuccess()
        // Alice cannot record as bob, and nothing is recorded without a key.
        let forged = try cli.run(["tick", "ACME-11", "--note", "n", "--by", "bob@example.com", "--key", "alice.key"])
        #expect(forged.status == 2 && forged.stderr.contains("not listed in allowed_signers for bob@example.com"), "\(forged.stderr)")
        let keyless = try cli.run(["tick", "ACME-11", "--note", "n", "--by", "alice@example.com"], environment: ["GIT_CONFIG_GLOBAL": "/dev/null"])
        #expect(keyless.status == 2)
        // A waiver approved by ciso counts only after ciso's approval; alice cannot approve her own.
        try cli.run(["waive", "ACME-13", "--reason", "r", "--approved-by", "ciso@example.com", "--until", "2099-01-01"] + Self.as_("alice")).expectSuccess()
        var shown = try #require(try cli.json(["show", "ACME-13"]) as? [String: Any])
        #expect(shown["status"] as? String == "pending")
        let waiver = try #require((shown["records"] as? [[String: Any]])?.last?["id"] as? String)
        #expect(try cli.run(["approve", waiver] + Self.as_("alice")).status == 2)
        try cli.run(["approve", waiver] + Self.as_("ciso")).expectSuccess()
        shown = try #require(try cli.json(["show", "ACME-13"]) as? [String: Any])
        #expect(shown["status"] as? String == "waived")
        // A record dropped in without a signature does not count; an unsigned settings record cannot switch signing off.
        try cli.directory.write("Checklists/acme/records/ACME-12/ev-dropped.json", """
            {"schemaVersion": "1.0", "type": "evidence", "id": "ev-dropped", "checklist": "acme", "item": "ACME-12",
             "recordedAt": "2026-11-27T12:00:00Z", "by": "alice@example.com", "effective": "2026-11-27"}
            """)
        try cli.directory.write("Checklists/acme/records/checklist/st-dropped.json", """
            {"schemaVersion": "1.0", "type": "settings", "id": "st-dropped", "checklist": "acme", "recordedAt": "2099-01-01T00:00:00Z",
             "by": "mallory@example.com", "reviewRequired": false, "dueSoonWindow": "30d"}
            """)
        let dropped = try #require(try cli.json(["show", "ACME-12", "--as-of", "2099-01-02"]) as? [String: Any])
        #expect(dropped["status"] as? String == "pending", "unsigned evidence does not count while signatures are required")
        // Its author signs it later: then it counts.
        try cli.run(["sign", "ev-dropped", "--key", "alice.key"]).expectSuccess()
        let signed = try #require(try cli.json(["show", "ACME-12", "--as-of", "2099-01-02"]) as? [String: Any])
        #expect(signed["status"] as? String == "complete")
        #expect(try cli.run(["sign", "ev-dropped", "--key", "alice.key"]).status == 2, "a signature is never replaced")
        #expect(try cli.run(["approve", waiver] + Self.as_("ciso")).status == 2, "an approval is recorded once")
        try Self.expectEveryRecordMatchesItsSchema(cli)
    }

    /// Approvals and settings that require signatures follow Schemas/ too (Python's jsonschema).
    static func expectEveryRecordMatchesItsSchema(_ cli: CLI) throws {
        guard SchemaTests.hasValidator else { return }
        let counts = try SchemaTests.validateRecords(cli)
        #expect(counts["approval"] != nil && counts["settings"] != nil, "\(counts)")
    }

    @Test(.enabled(if: sshKeygen != nil, skip))
    func oneFlippedByteIsAnIntegrityFailure() throws {
        let cli = try Self.workspace()
        try cli.run(["tick", "ACME-11", "--note", "reviewed"] + Self.as_("alice")).expectSuccess()
        try cli.run(["verify"]).expectSuccess()
        let record = try #require(cli.files().first { $0.hasPrefix("Checklists/acme/records/ACME-11/") && $0.hasSuffix(".json") })
        let url = cli.workspace.appendingPathComponent(record)
        var bytes = try Data(contentsOf: url)
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "r")))
        bytes[index] = UInt8(ascii: "R")
        try bytes.write(to: url)
        for command in [["verify"], ["gate"]] {
            let result = try cli.run(command)
            #expect(result.status == 3 && (result.stdout + result.stderr).contains("\(record).sig"), "\(command): \(result.stdout)\(result.stderr)")
        }
    }

    @Test(.enabled(if: sshKeygen != nil, skip))
    func signingRequiredNeedsASignedImportFirst() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try cli.run(["-q", "-N", "", "-t", "ed25519", "-f", "alice.key"], executable: Self.sshKeygen!).expectSuccess()
        try cli.run(["signers", "add", "alice@example.com", "alice.key.pub"]).expectSuccess()
        try cli.directory.write("m.md", "| Task | Provider | Customer |\n| --- | --- | --- |\n| Patch | A | R |\n")
        try cli.run(["import", "m.md", "--checklist", "svc", "--by", "alice@example.com"]).expectSuccess()
        let refused = try cli.run(["settings", "--signatures", "required"] + Self.as_("alice"))
        #expect(refused.status == 2 && refused.stderr.contains("import the matrix again with --sign"), "\(refused.stderr)")
        try cli.run(["import", "m.md", "--checklist", "svc"] + Self.as_("alice")).expectSuccess()
        try cli.run(["settings", "--signatures", "required"] + Self.as_("alice")).expectSuccess()
        let unsignedImport = try cli.run(["import", "m.md", "--checklist", "svc", "--by", "alice@example.com"], environment: ["GIT_CONFIG_GLOBAL": "/dev/null"])
        #expect(unsignedImport.status == 2, "once required, an import without a key is refused")
    }
}
