import AttestTestSupport
import Foundation
import Testing

/// `attest report --sign` with keys made by the real ssh-keygen, and ssh-keygen -Y verify as the oracle: every
/// file it writes is signed in namespace attest-report, the markdown's own command checks it, a refused key
/// changes nothing, and a later unsigned report removes the signatures.
@Suite struct SignedReportTests {
    static let names = ["acme.junit.xml", "acme.md", "acme.oscal-ar.json"]

    /// `ssh-keygen -Y verify` of `Reports/NAME.sig` as `principal` in namespace attest-report.
    static func verify(_ cli: CLI, _ name: String, principal: String = "alice@example.com") throws -> Int32 {
        try cli.run(["-c", "exec \"$0\" -Y verify -f allowed_signers -I \"$1\" -n attest-report -s \"Reports/$2.sig\" < \"Reports/$2\"",
                     SignedRecordTests.sshKeygen!, principal, name], executable: "/bin/sh").status
    }

    func reports(_ cli: CLI) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in cli.files() where path.hasPrefix("Reports/") { files[path] = try Data(contentsOf: cli.workspace.appendingPathComponent(path)) }
        return files
    }

    @Test(.enabled(if: SignedRecordTests.sshKeygen != nil, SignedRecordTests.skip))
    func aSignedReportPassesSSHKeygenAndAnUnsignedOneRemovesItsSignatures() throws {
        let cli = try SignedRecordTests.workspace()
        try cli.directory.write("e.txt", "evidence")
        try cli.run(["tick", "ACME-11", "--file", "e.txt", "--note", "n"] + SignedRecordTests.as_("alice")).expectSuccess()
        try cli.run(["tick", "ACME-12", "--note", "unsigned", "--by", "bob@example.com"]).expectSuccess()

        let signed = try cli.run(["report", "--sign"] + SignedRecordTests.as_("alice"))
        signed.expectSuccess()
        for name in Self.names {
            #expect(signed.stdout.contains("wrote Reports/\(name).sig"), "\(signed.stdout)")
            #expect(try Self.verify(cli, name) == 0, "ssh-keygen -Y verify refuses Reports/\(name).sig")
            #expect(try Self.verify(cli, name, principal: "bob@example.com") != 0, "signed as alice, not bob")
        }
        let markdown = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/acme.md"), encoding: .utf8)
        #expect(markdown.contains("signed by alice@example.com \\(ED25519 SHA256:"), "the signed evidence")
        #expect(markdown.contains("by bob@example.com, effective") && markdown.contains("; unsigned"), "the unsigned evidence")
        #expect(markdown.contains("| Signatures | optional"))
        #expect(markdown.range(of: #"\| allowed_signers SHA-256 \| `[0-9a-f]{64}` \|"#, options: .regularExpression) != nil)

        // The command the markdown prints, run as printed from the workspace root.
        let command = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("ssh-keygen -Y verify") })
        #expect(command == "ssh-keygen -Y verify -f allowed_signers -I alice@example.com -n attest-report -s Reports/acme.md.sig < Reports/acme.md")
        let printed = try cli.run(["-c", String(command)], executable: "/bin/bash")
        #expect(printed.status == 0, "the printed command fails: \(printed.stdout)\(printed.stderr)")

        // A key that allowed_signers does not list for the signer: exit 2, every file and signature unchanged.
        let before = try reports(cli)
        try cli.run(["tick", "ACME-13", "--note", "later"] + SignedRecordTests.as_("alice")).expectSuccess()
        let refused = try cli.run(["report", "--sign", "--by", "alice@example.com", "--key", "bob.key"])
        #expect(refused.status == 2 && refused.stderr.contains("cannot sign as alice@example.com"), "\(refused.stderr)")
        #expect(try reports(cli) == before, "a refused signed report changes nothing")

        // Altered bytes no longer verify: the check is real.
        let altered = cli.workspace.appendingPathComponent("Reports/acme.md")
        try Data((markdown + " ").utf8).write(to: altered)
        #expect(try Self.verify(cli, "acme.md") != 0)

        // Unsigned: the signatures go with the files they covered.
        let unsigned = try cli.run(["report"])
        unsigned.expectSuccess()
        #expect(try reports(cli).keys.sorted() == Self.names.map { "Reports/\($0)" })
        #expect(try String(contentsOf: altered, encoding: .utf8).contains("Not signed (`attest report --sign` signs every report file)."))
    }
}
