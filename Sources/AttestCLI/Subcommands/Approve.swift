import ArgumentParser
import AttestCore

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Co-sign a waiver or not-applicable mark as the approver it names.",
        discussion: """
            Writes a signed approval record that binds the SHA-256 of the approved record: where the checklist \
            requires signatures, a waiver or not-applicable mark counts only once the person in its approvedBy \
            approved it. The approver signs with their own key and is never the mark's author. There is no \
            "reject": revoke the waiver instead.
            """)

    @Argument(help: ArgumentHelp("The waiver's or not-applicable mark's record ID, or an unambiguous part of it.", valueName: "RECORD-ID"))
    var record: String

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func run() throws {
        let ledger = try location.ledger()
        let recorder = try signing.recorder(for: ledger, always: true)
        let (approval, path) = try recorder.approve(record, by: actor.actor(in: ledger.store.workspace))
        guard case .approval(let body) = approval.body else { return }
        Console.print("Approved \(body.target) (\(approval.item ?? "")) by \(approval.by), binding sha256 \(body.sha256): \(path)")
        SigningOptions.sayIfSigned(recorder, approval, at: path)
    }
}
