@testable import AttestCore
import AttestTestSupport
import Foundation
import Testing

@Suite(.enabled(if: SSHKeygenFixture.available, SSHKeygenFixture.skipReason))
struct SSHKeygenSignerTests {
    let fixture = SSHKeygenFixture.shared
    let bytes = Data(#"{"id":"ev-1","by":"alice@example.com"}"#.utf8 + [0x0A])
    let now = Date.utc("2026-06-01T12:00:00Z")

    func signers(_ keys: [(String, SSHPublicKey)]) throws -> (text: String, parsed: AllowedSigners) {
        let text = keys.map { "\($0.0) namespaces=\"attest,attest-report\" \($0.1.authorizedKeyText)" }.joined(separator: "\n") + "\n"
        return (text, try AllowedSigners(parsing: Data(text.utf8)))
    }

    func leftovers(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
    }

    @Test("Every signature the engine makes passes ssh-keygen -Y verify", arguments: SSHKeygenFixture.KeyType.allCases)
    func signaturesPassSSHKeygen(type: SSHKeygenFixture.KeyType) throws {
        let (text, allowed) = try signers([("alice@example.com", try fixture.publicKey("alice", type))])
        let scratch = try TemporaryDirectory()
        for namespace in ["attest", "attest-report"] {
            let signature = try SSHKeygenSigner().sign(
                bytes, namespace: namespace, as: "alice@example.com", key: .fromOption(try fixture.key("alice", type)),
                allowedSigners: allowed, at: now, scratchDirectory: scratch.url)
            #expect(try fixture.sshKeygenVerifies(allowedSigners: text, signature: signature, bytes: bytes, principal: "alice@example.com",
                                                  namespace: namespace, at: now))
            #expect(try SSHSignature(armored: signature).namespace == namespace)
        }
        #expect(try leftovers(scratch) == [])
    }

    @Test("A public key with its private half in ssh-agent signs (as --key KEY.pub or git's key:: literal)")
    func signsThroughAgent() throws {
        let agentDirectory = try TemporaryDirectory()
        let socket = agentDirectory.url.appendingPathComponent("agent.sock").path
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: Subprocess.locate("ssh-agent") ?? "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", socket]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer {
            // SIGKILL: a child started from a Dispatch thread inherits its blocked signals, SIGTERM included.
            kill(agent.processIdentifier, SIGKILL)
            agent.waitUntilExit()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
        let privateKey = try fixture.key("agent", .ed25519)
        let add = Process()
        add.executableURL = URL(fileURLWithPath: Subprocess.locate("ssh-add") ?? "/usr/bin/ssh-add")
        add.arguments = ["-q", privateKey]
        add.environment = ["SSH_AUTH_SOCK": socket]
        add.standardError = FileHandle.nullDevice
        try add.run()
        add.waitUntilExit()
        try #require(add.terminationStatus == 0)

        // Only the public key is in the folder ssh-keygen sees.
        let keys = try TemporaryDirectory()
        let publicText = try String(contentsOfFile: privateKey + ".pub", encoding: .utf8)
        let publicPath = try keys.write("agent.pub", publicText).path
        let publicKey = try SSHPublicKey(authorizedKey: publicText)
        let (text, allowed) = try signers([("alice@example.com", publicKey)])
        let signer = SSHKeygenSigner(environment: ["SSH_AUTH_SOCK": socket])
        let scratch = try TemporaryDirectory()
        for key in [try SigningKey.fromOption(publicPath),
                    try SigningKey.fromGitConfig(format: "ssh", signingKey: "key::" + publicText.trimmingCharacters(in: .newlines))] {
            let signature = try signer.sign(bytes, namespace: "attest", as: "alice@example.com", key: key, allowedSigners: allowed,
                                            at: now, scratchDirectory: scratch.url)
            #expect(try fixture.sshKeygenVerifies(allowedSigners: text, signature: signature, bytes: bytes, principal: "alice@example.com",
                                                  namespace: "attest", at: now))
        }
        #expect(try leftovers(scratch) == [])
    }

    @Test("Refused before signing: a key not listed for the principal, namespace or time; nothing left behind")
    func refusesUnlistedKeys() throws {
        let alice = try fixture.publicKey("alice", .ed25519)
        let (_, allowed) = try signers([("alice@example.com", alice)])
        let scratch = try TemporaryDirectory()
        let key = try SigningKey.fromOption(try fixture.key("alice", .ed25519))
        let cases: [(String, String, SignatureProblem)] = [
            ("bob@example.com", "attest", .wrongPrincipal(principal: "bob@example.com", key: alice)),
            ("alice@example.com", "file", .namespaceNotAllowed(namespace: "file", principal: "alice@example.com", key: alice)),
        ]
        for (principal, namespace, problem) in cases {
            #expect(throws: SigningError.keyNotAllowed(principal: principal, namespace: namespace, reason: problem.reason)) {
                try SSHKeygenSigner().sign(bytes, namespace: namespace, as: principal, key: key, allowedSigners: allowed, at: now,
                                           scratchDirectory: scratch.url)
            }
        }
        let eve = try SigningKey.fromOption(try fixture.key("eve", .ed25519))
        #expect(throws: SigningError.keyNotAllowed(principal: "alice@example.com", namespace: "attest",
                                                   reason: SignatureProblem.keyNotListed(try eve.publicKey()).reason)) {
            try SSHKeygenSigner().sign(bytes, namespace: "attest", as: "alice@example.com", key: eve, allowedSigners: allowed, at: now,
                                       scratchDirectory: scratch.url)
        }
        #expect(try leftovers(scratch) == [])
    }

    @Test("Missing key, missing ssh-keygen, and a passphrase with no terminal: clear errors, nothing left behind")
    func errors() throws {
        let alice = try fixture.publicKey("alice", .ed25519)
        let (_, allowed) = try signers([("alice@example.com", alice), ("pat@example.com", try fixture.publicKey("pat", .ed25519))])
        let scratch = try TemporaryDirectory()
        let missing = scratch.url.appendingPathComponent("nope").path
        #expect(throws: SigningError.keyFileMissing(path: missing)) {
            try SSHKeygenSigner().sign(bytes, namespace: "attest", as: "alice@example.com", key: .fromOption(missing),
                                       allowedSigners: allowed, at: now, scratchDirectory: scratch.url)
        }
        #expect(throws: SigningError.sshKeygenMissing) {
            try SSHKeygenSigner(executable: "/nonexistent/ssh-keygen").sign(
                bytes, namespace: "attest", as: "alice@example.com", key: .fromOption(try fixture.key("alice", .ed25519)),
                allowedSigners: allowed, at: now, scratchDirectory: scratch.url)
        }
        if !SSHKeygenSigner.hasTerminal {
            let locked = try fixture.key("locked", .ed25519, passphrase: "correct horse")
            let (_, lockedAllowed) = try signers([("alice@example.com", try SSHPublicKey(
                authorizedKey: String(contentsOfFile: locked + ".pub", encoding: .utf8)))])
            // The .pub is not needed: the public key is read from the private key file without the passphrase.
            try FileManager.default.removeItem(atPath: locked + ".pub")
            #expect(throws: SigningError.passphraseNeeded(path: locked)) {
                try SSHKeygenSigner().sign(bytes, namespace: "attest", as: "alice@example.com", key: .fromOption(locked),
                                           allowedSigners: lockedAllowed, at: now, scratchDirectory: scratch.url)
            }
        }
        #expect(try leftovers(scratch) == [])
    }

    @Test func keyFromGitConfiguration() throws {
        #expect(throws: SigningError.noSigningKey) { try SigningKey.fromGitConfig(format: nil, signingKey: "~/.ssh/id_ed25519") }
        #expect(throws: SigningError.noSigningKey) { try SigningKey.fromGitConfig(format: "openpgp", signingKey: "ABCDEF") }
        #expect(throws: SigningError.noSigningKey) { try SigningKey.fromGitConfig(format: "ssh", signingKey: nil) }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        #expect(try SigningKey.fromGitConfig(format: "ssh", signingKey: "~/.ssh/id_ed25519.pub").location == .file(home + "/.ssh/id_ed25519.pub"))
        #expect(try SigningKey.fromGitConfig(format: "ssh", signingKey: "/keys/a").location == .file("/keys/a"))
        let literal = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcvZ+vtFM4UKQNLIpY4dS2lYdAbbk0o5PWd/MGbZqpC alice"
        let expected = SigningKey.Location.literal(try SSHPublicKey(authorizedKey: literal))
        #expect(try SigningKey.fromGitConfig(format: "ssh", signingKey: "key::" + literal).location == expected)
        #expect(try SigningKey.fromGitConfig(format: "ssh", signingKey: literal).location == expected)
        #expect(throws: SigningError.self) { try SigningKey.fromGitConfig(format: "ssh", signingKey: "key::ssh-ed25519 AAAA") }
        #expect(SigningError.noSigningKey.errorDescription!.contains("git config user.signingkey"))
    }
}
