import Foundation
import Testing

/// `attest signers add|list` run as a user would, with keys made by ssh-keygen.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen"), "ssh-keygen not found at /usr/bin/ssh-keygen"))
struct SignersCommandTests {
    func makeKey(_ cli: CLI, _ name: String, _ type: [String] = ["-t", "ed25519"]) throws -> String {
        let path = cli.workspace.appendingPathComponent("keys/\(name)").path
        try FileManager.default.createDirectory(atPath: cli.workspace.appendingPathComponent("keys").path, withIntermediateDirectories: true)
        let result = try cli.run(type + ["-q", "-N", "", "-C", name, "-f", path], executable: "/usr/bin/ssh-keygen")
        result.expectSuccess()
        return path
    }

    @Test func addThenList() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        let alice = try makeKey(cli, "alice")
        let bob = try makeKey(cli, "bob", ["-t", "ecdsa", "-b", "384"])

        try cli.run(["signers", "add", "alice@example.com", alice + ".pub"]).expectSuccess()
        try cli.run(["signers", "add", "bob@example.com", bob]).expectSuccess()  // the private key: its public part is read
        let text = try String(contentsOf: cli.workspace.appendingPathComponent("allowed_signers"), encoding: .utf8)
        let alicePublic = try String(contentsOfFile: alice + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == "alice@example.com namespaces=\"attest,attest-report\" \(alicePublic)")
        #expect(lines[1].hasPrefix("bob@example.com namespaces=\"attest,attest-report\" ecdsa-sha2-nistp384 "))

        // A duplicate is refused and changes nothing.
        let duplicate = try cli.run(["signers", "add", "alice@example.com", alice + ".pub"])
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("allowed_signers:1: error: alice@example.com is listed with the key ED25519 SHA256:"))
        #expect(try String(contentsOf: cli.workspace.appendingPathComponent("allowed_signers"), encoding: .utf8) == text)

        let fingerprint = try cli.run(["-l", "-f", alice + ".pub"], executable: "/usr/bin/ssh-keygen").stdout.split(separator: " ")[1]
        let list = try cli.run(["signers", "list"])
        list.expectSuccess()
        #expect(list.stdout.contains("alice@example.com"))
        #expect(list.stdout.contains("ED25519     \(fingerprint)  namespaces attest,attest-report  valid always"))
        let json = try #require(try cli.json(["signers", "list"]) as? [[String: Any]])
        #expect(json.count == 2)
        #expect(json[0]["principals"] as? String == "alice@example.com")
        #expect(json[0]["fingerprint"] as? String == String(fingerprint))
        #expect(json[1]["keyType"] as? String == "ECDSA" && json[1]["bits"] as? Int == 384)

        // ssh-keygen reads the file attest wrote.
        let found = try cli.run(["-Y", "match-principals", "-f", "allowed_signers", "-I", "bob@example.com"], executable: "/usr/bin/ssh-keygen")
        #expect(found.status == 0 && found.stdout == "bob@example.com\n")
    }

    @Test func badInputExitsTwoAndWritesNothing() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        let alice = try makeKey(cli, "alice")
        let before = cli.files()
        for (arguments, message) in [
            (["signers", "add", "alice@example.com", "keys/missing.pub"], "keys/missing.pub: error: no such key file"),
            (["signers", "add", "*@example.com", alice + ".pub"], "cannot be a signer"),
            (["signers", "add", "alice@example.com", "Checklists"], "a directory, not a key file"),
        ] {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        #expect(cli.files() == before)

        try Data("alice@example.com cert-authority ssh-ed25519 AAAA\n".utf8).write(to: cli.workspace.appendingPathComponent("allowed_signers"))
        let list = try cli.run(["signers", "list"])
        #expect(list.status == 2)
        #expect(list.stderr.contains("allowed_signers:1:19: error: cert-authority lines are not supported"))
        let add = try cli.run(["signers", "add", "bob@example.com", alice + ".pub"])
        #expect(add.status == 2 && add.stderr.contains("allowed_signers:1:19: error:"))
    }

    @Test func helpHasExamples() throws {
        let cli = try CLI()
        let help = try cli.run(["signers", "add", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("attest signers add alice@example.com ~/.ssh/id_ed25519.pub"))
        let list = try cli.run(["signers", "--help"])
        #expect(list.stdout.contains("ssh-keygen -Y verify -f allowed_signers"))
    }
}
