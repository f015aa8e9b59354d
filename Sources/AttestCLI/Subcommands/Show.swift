import ArgumentParser
import AttestCore
import Foundation

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one item with all its records.",
        discussion: "ITEM is an ID (ACCS-07), its number, or an unambiguous part of the task's words (integrating-external).")

    @Argument(help: ArgumentHelp("The item.", valueName: "ITEM"))
    var item: String

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let ledger = try location.ledger()
        let wanted = try ledger.item(item)
        let state = try ledger.evaluate(asOf: try time.date())
        guard let itemState = state.items.first(where: { $0.item.id == wanted.id }) else {
            throw StoreError.invalidInput("\(wanted.id) was not in the checklist as of \(Timestamp.human(state.asOf))")
        }
        if output.json {
            try Console.printJSON(ItemJSON(itemState, withRecords: true))
            return
        }
        let item = itemState.item
        Console.print(Console.paint("\(item.id.visible)  \(item.task.visible)", .bold))
        if !item.section.isEmpty { Console.print("section:        \(item.section.visible)") }
        Console.print("kind:           \(item.kind.rawValue)\(itemState.required ? " (required)" : "")")
        let shownStatus = itemState.required || item.retired ? itemState.status.rawValue : "- (not required: \(item.kind.rawValue))"
        Console.print("status:         " + Console.paint(shownStatus, Console.color(for: itemState.status.rawValue)))
        let letters = state.parties.filter { item.responsibility[$0] != nil }
            .map { "\($0.visible) \(item.responsibility[$0]!.isEmpty ? "-" : item.responsibility[$0]!.visible)" }
        Console.print("responsibility: \(letters.joined(separator: ", "))")
        if let interval = item.reviewInterval ?? state.settings.defaultReviewInterval { Console.print("renew every:    \(interval)") }
        if let end = itemState.expiresAt { Console.print("through:        \(Timestamp.through(end))") }
        for note in item.notes { Console.print("note:           \(note.visible)") }
        if let inherits = item.inherits { Console.print("inherits:       \(inherits.visible)") }
        if itemState.blocks {
            let (missing, fix) = itemState.attention(checklist: ledger.checklist.id)
            Console.print("missing:        \(missing.visible)")
            Console.print("fix:            \(fix.visible)")
        }
        Console.print()
        if itemState.records.isEmpty {
            Console.print("No records yet.")
            return
        }
        Console.print(Console.paint("Records", .bold))
        let standings = Dictionary(uniqueKeysWithValues: itemState.evidence.map { ($0.record.id, $0) })
        for record in itemState.records {
            var line = "\(Timestamp.human(record.recordedAt))  \(record.id.visible)  \(record.by.visible)  \(record.summary)"
            if let evidence = standings[record.id] {
                // The validity an interval implies (an explicit one is in the summary already).
                let implied = evidence.evidence.validUntil == nil ? evidence.validUntil.map { ", through \(Timestamp.through($0))" } : nil
                line += "  [\(evidence.standingText)\(implied ?? "")]"
            }
            Console.print(line)
        }
    }
}
