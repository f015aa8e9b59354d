import ArgumentParser
import AttestCore

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign records written earlier, as their author (a new .sig beside each; the record unchanged).",
        discussion: """
            So that a team can turn signing on without re-ticking: each record's own `by` signs its exact bytes \
            with their key, which allowed_signers must list for them. A record that has a signature already is \
            refused (signatures are never replaced).
            """)

    @Argument(help: ArgumentHelp("Record IDs, or unambiguous parts of them.", valueName: "RECORD-ID"))
    var records: [String]

    @OptionGroup var location: WorkspaceOptions

    @Option(help: ArgumentHelp(
        "The author's SSH key: a private key, or a public key whose private half is in ssh-agent "
            + "(default: git's user.signingkey when gpg.format is ssh).", valueName: "PATH"))
    var key: String?

    func validate() throws {
        if records.isEmpty { throw ValidationError("name the records to sign: attest sign RECORD-ID…") }
    }

    func run() throws {
        let ledger = try location.ledger()
        let signer = RecordSigner(key: try SigningKey.resolve(explicit: key, in: ledger.store.workspace.root),
                                  allowedSigners: ledger.signatures.allowedSigners)
        let written = try Recorder(ledger: ledger, signer: signer).sign(records)
        for path in written { Console.print("Signed: \(path)") }
    }
}
