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

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
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
        // The checklist file holds the current settings (each change also leaves a settings record,
        // which is what `--as-of` evaluates with).
        var settings = ledger.checklist.settings
        let changing = reviewRequired != nil || reviewInterval != nil || dueSoon != nil
        if changing {
            if let reviewRequired { settings.reviewRequired = reviewRequired }
            if let reviewInterval { settings.defaultReviewInterval = reviewInterval == "none" ? nil : Interval(reviewInterval) }
            if let dueSoon { settings.dueSoonWindow = Interval(dueSoon)! }
            let (_, path) = try Recorder(ledger: ledger).changeSettings(settings, by: actor.actor(in: ledger.store.workspace))
            if !output.json { Console.print("Settings changed: \(path)") }
        }
        if output.json {
            try Console.printJSON(settings)
            return
        }
        Console.print("review required:          \(settings.reviewRequired)")
        Console.print("default review interval:  \(settings.defaultReviewInterval?.description ?? "none")")
        Console.print("due-soon window:          \(settings.dueSoonWindow)")
    }
}
