import ArgumentParser
import AttestCore
import Foundation

struct Settings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the checklist's settings.",
        discussion: "Each change is also a settings record, so that --as-of evaluates with the settings of the time.")

    @Option(help: ArgumentHelp("Evidence counts only once a second person accepts it: true or false.", valueName: "BOOL"))
    var reviewRequired: Bool?

    @Option(help: ArgumentHelp("Renewal interval for items whose wording implies none: 30d, 6w, 3m, 1y, or none.", valueName: "INTERVAL"))
    var reviewInterval: String?

    @Option(help: ArgumentHelp("Window for \"due soon\": 30d, 6w, 3m, 1y.", valueName: "WINDOW"))
    var dueSoon: String?

    @Option(help: ArgumentHelp(
        "required: a record counts only when validly signed by its author, a waiver or not-applicable mark only once its approver "
            + "co-signed it (attest approve); optional: signatures are checked and shown where present.", valueName: "required|optional"))
    var signatures: SignaturePolicy?

    enum SignaturePolicy: String, ExpressibleByArgument, CaseIterable { case required, optional }

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if let reviewInterval, reviewInterval != "none", Interval(reviewInterval) == nil {
            throw ValidationError("--review-interval \"\(reviewInterval)\" is not an interval; use 30d, 6w, 3m, 1y or none")
        }
        if let dueSoon, Interval(dueSoon) == nil {
            throw ValidationError("--due-soon \"\(dueSoon)\" is not a window; use 30d, 6w, 3m or 1y")
        }
    }

    func run() throws {
        let ledger = try location.ledger(readRecords: false)
        // The settings records in effect now; each change is a new settings record, which `--as-of` evaluates with.
        var settings = ledger.checklist.settings
        let changing = reviewRequired != nil || reviewInterval != nil || dueSoon != nil || signatures != nil
        if changing {
            if let reviewRequired { settings.reviewRequired = reviewRequired }
            if let reviewInterval { settings.defaultReviewInterval = reviewInterval == "none" ? nil : Interval(reviewInterval) }
            if let dueSoon { settings.dueSoonWindow = Interval(dueSoon)! }
            if let signatures { settings.signaturesRequired = signatures == .required }
            let recorder = try signing.recorder(for: ledger, always: signatures == .required)
            let (record, path) = try recorder.changeSettings(settings, by: actor.actor(in: ledger.store.workspace))
            if !output.json {
                Console.print("Settings changed: \(path)")
                SigningOptions.sayIfSigned(recorder, record, at: path)
            }
        }
        if output.json {
            // Every setting as the text shows it, and the allowed_signers that decides signatures: the policy
            // the auditor's header prints.
            try Console.printJSON(AuditHeader.Policy(settings, allowedSignersSHA256: ledger.signatures.allowedSignersSHA256))
            return
        }
        Console.print("review required:          \(settings.reviewRequired)")
        Console.print("default review interval:  \(settings.defaultReviewInterval?.description ?? "none")")
        Console.print("due-soon window:          \(settings.dueSoonWindow)")
        Console.print("signatures:               \(settings.signaturesRequired ? "required" : "optional")")
    }
}
