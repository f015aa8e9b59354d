import ArgumentParser
import AttestCore

struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Withdraw a piece of evidence (or a waiver or not-applicable mark).",
        discussion: "The record stays in the audit trail; a revocation record is added. `attest show ITEM` lists record IDs.")

    @Argument(help: ArgumentHelp("The record's ID, or an unambiguous part of it.", valueName: "RECORD-ID"))
    var evidence: String

    @Option(help: ArgumentHelp("Why it is withdrawn.", valueName: "TEXT"))
    var reason: String

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func run() throws {
        let ledger = try location.ledger()
        let recorder = try signing.recorder(for: ledger)
        let (record, path) = try recorder.revoke(evidence, reason: reason, by: actor.actor(in: ledger.store.workspace))
        guard case .revocation(let body) = record.body else { return }
        Console.print("Revoked \(body.target.visible) (\((record.item ?? "").visible)): \(path.visible)")
        SigningOptions.sayIfSigned(recorder, record, at: path)
    }
}
