import ArgumentParser
import AttestCore
import Foundation

/// `attest signers add|list`: who may sign, in the workspace's `allowed_signers` (OpenSSH's format).
struct Signers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who may sign records and reports: the workspace's allowed_signers file (OpenSSH's format).",
        discussion: """
            allowed_signers sits at the workspace root and is committed like code. Each line lists a principal \
            (an email address, as in a record's "by") and an SSH public key, limited to the namespaces attest \
            uses (attest for records, attest-report for reports). attest never removes or rewrites a line: when \
            someone leaves, add valid-before="YYYYMMDDZ" to their line by hand, so that what they signed before \
            still counts.

            Anyone can check a signature without attest:
              ssh-keygen -Y verify -f allowed_signers -I alice@example.com -n attest -s RECORD.json.sig < RECORD.json
            """,
        subcommands: [AddSigner.self, ListSigners.self]
    )
}

struct AddSigner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "List a person's SSH public key in allowed_signers (namespaces attest and attest-report).",
        discussion: """
            Appends one line, EMAIL namespaces="attest,attest-report" KEYTYPE BASE64, and leaves every other line \
            as it is. Refused when EMAIL is already listed with that key, or when allowed_signers has a \
            malformed line. Accepted keys: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa, \
            sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com.
            """)

    @Argument(help: ArgumentHelp("The signer's principal: the email address that appears as \"by\" in their records.", valueName: "EMAIL"))
    var email: String

    @Argument(help: ArgumentHelp("The signer's public key file (a .pub file), or a private key whose public part can be read.", valueName: "KEYFILE"))
    var keyFile: String

    @Option(help: ArgumentHelp("The workspace folder (default: found from the current directory upwards).", valueName: "DIR"))
    var workspace: String?

    func run() throws {
        let root = try Workspace.locate(explicit: workspace)
        let key = try SigningKey.fromOption(keyFile).publicKey()
        let entry = try AllowedSigners.append(
            principal: email, key: key, to: root.root.appendingPathComponent(AllowedSigners.fileName),
            lockDirectory: root.cacheDirectoryCreated(), temporaryDirectory: root.temporaryDirectoryCreated())
        Console.print("Added \(email) (\(key)) to allowed_signers, line \(entry.line).")
        Console.print("Next: git add allowed_signers && git commit -m \"\(email) may sign\"")
    }
}

struct ListSigners: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show who may sign: principals, key type, fingerprint, namespaces and validity.")

    @Option(help: ArgumentHelp("The workspace folder (default: found from the current directory upwards).", valueName: "DIR"))
    var workspace: String?

    @OptionGroup var output: FormatOptions

    struct EntryJSON: Encodable {
        var line: Int
        var principals: String
        var keyType: String
        var bits: Int
        var fingerprint: String
        var namespaces: String?
        var validAfter: Date?
        var validBefore: Date?
    }

    func run() throws {
        let root = try Workspace.locate(explicit: workspace)
        let signers = try AllowedSigners.load(from: root.root.appendingPathComponent(AllowedSigners.fileName))
        if output.json {
            try Console.printJSON(signers.entries.map {
                EntryJSON(line: $0.line, principals: $0.principals, keyType: $0.key.kind.label, bits: $0.key.bits,
                          fingerprint: $0.key.fingerprint, namespaces: $0.namespaces, validAfter: $0.validAfter, validBefore: $0.validBefore)
            })
            return
        }
        guard !signers.entries.isEmpty else {
            Console.print("No signers yet. Add one with: attest signers add EMAIL ~/.ssh/id_ed25519.pub")
            return
        }
        for entry in signers.entries {
            Console.print("\(Console.pad(entry.principals, 28))  \(Console.pad(entry.key.kind.label, 10))  \(entry.key.fingerprint)  "
                + "namespaces \(entry.namespaces ?? "any")  \(Self.validity(entry))")
        }
    }

    static func validity(_ entry: AllowedSigners.Entry) -> String {
        switch (entry.validAfter, entry.validBefore) {
        case (nil, nil): "valid always"
        case (let after?, nil): "valid from \(SSHTime.display(after))"
        case (nil, let before?): "valid until \(SSHTime.display(before))"
        case (let after?, let before?): "valid from \(SSHTime.display(after)) until \(SSHTime.display(before))"
        }
    }
}
