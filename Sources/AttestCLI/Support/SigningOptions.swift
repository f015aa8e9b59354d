import ArgumentParser
import AttestCore
import Foundation

/// `--sign` and `--key`: every command that writes a record signs it with the person's SSH key when asked,
/// and always once the checklist requires signatures.
struct SigningOptions: ParsableArguments {
    @Flag(help: "Sign what this command writes (the record, or each report file) with your SSH key (ssh-keygen -Y sign); for records, the default once signatures are required.")
    var sign = false

    @Option(help: ArgumentHelp(
        "The SSH key to sign with: a private key, or a public key whose private half is in ssh-agent "
            + "(default: git's user.signingkey when gpg.format is ssh).", valueName: "PATH"))
    var key: String?

    /// The recorder a writing command records through: it signs when --sign or --key ask, when `always`, and
    /// whenever the checklist requires signatures.
    func recorder(for ledger: Ledger, always: Bool = false) throws -> Recorder {
        Recorder(ledger: ledger, signer: try signer(for: ledger, always: always))
    }

    /// Says, under a writing command's own line, that `recorder` signed the record it wrote at `path`.
    static func sayIfSigned(_ recorder: Recorder, _ record: Record, at path: String) {
        sayIfSigned(by: recorder.signer == nil ? nil : record.by, at: path)
    }

    /// Says that `principal` signed the record at `path`; nothing when nobody did.
    static func sayIfSigned(by principal: String?, at path: String) {
        guard let principal else { return }
        Console.print("  signed by \(principal.visible): \(RecordSignature.file(for: path).visible)")
    }

    /// The signer for a command that writes records into `ledger`'s checklist: nil when neither asked nor required.
    func signer(for ledger: Ledger, always: Bool = false) throws -> RecordSigner? {
        guard sign || key != nil || always || ledger.checklist.settings.signaturesRequired else { return nil }
        return try signer(in: ledger.store.workspace, allowedSigners: ledger.signatures.allowedSigners)
    }

    /// The signer in a workspace, whatever its checklists require.
    func signer(in workspace: Workspace, allowedSigners: AllowedSigners) throws -> RecordSigner {
        RecordSigner(key: try SigningKey.resolve(explicit: key, in: workspace.root), allowedSigners: allowedSigners)
    }
}
