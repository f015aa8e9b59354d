import ArgumentParser
import AttestCore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts, and what needs attention: unsatisfied obligations and what expires soon.",
        discussion: "With several checklists and no --checklist, shows them all.")

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    @Option(help: ArgumentHelp("Window for \"due soon\": 30d, 6w, 3m, 1y (default: the checklist's setting).", valueName: "WINDOW"))
    var dueWithin: String?

    func validate() throws {
        if let dueWithin, Interval(dueWithin) == nil {
            throw ValidationError("--due-within \"\(dueWithin)\" is not a window; use 30d, 6w, 3m or 1y")
        }
    }

    func run() throws {
        let asOf = try time.date()
        let states = try location.ledgers().map { try $0.evaluate(asOf: asOf) }
        if output.json {
            struct Output: Encodable { var passes: Bool; var checklists: [StatusJSON] }
            try Console.printJSON(Output(passes: states.allSatisfy(\.passes),
                                         checklists: states.map { StatusJSON($0, window: window(for: $0)) }))
            return
        }
        for (index, state) in states.enumerated() {
            if index > 0 { Console.print() }
            printText(state)
        }
    }

    private func window(for state: ChecklistState) -> Interval {
        dueWithin.flatMap(Interval.init) ?? state.settings.dueSoonWindow
    }

    private func printText(_ state: ChecklistState) {
        let id = state.checklist.id
        let required = state.required
        let satisfied = required.filter { $0.status.isSatisfied }.count
        let verdict = state.passes ? Console.paint("PASS", .green) : Console.paint("FAIL", .red)
        Console.print(Console.paint("\(id)", .bold) + ": \(verdict), \(satisfied) of \(required.count) obligations satisfied (as of \(Timestamp.human(state.asOf)))")
        let counts = ItemStatus.allCases.compactMap { status -> String? in
            let count = state.count(status)
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }
        if !counts.isEmpty { Console.print("  obligations: " + counts.joined(separator: ", ")) }
        let kinds = ItemKind.counts(of: state.items.map(\.item))
        let others = [ItemKind.consulted, .informed, .inherited, .notApplicable].compactMap { kind -> String? in
            kinds[kind] == 0 ? nil : "\(kinds[kind]!) \(kind.rawValue)"
        }
        if !others.isEmpty { Console.print("  not required: " + others.joined(separator: ", ")) }
        let blocking = state.blocking
        if !blocking.isEmpty {
            Console.print(Console.paint("  Needs attention:", .bold))
            for item in blocking {
                let (missing, fix) = item.explanation(checklist: id)
                Console.print("    " + Console.paint(Console.pad(item.status.rawValue, 10), Console.color(for: item.status.rawValue))
                    + " \(item.item.id)  \(item.item.task)")
                Console.print(Console.paint("               \(missing); fix: \(fix)", .dim))
            }
        }
        let window = window(for: state)
        let due = state.dueSoon(within: window)
        if !due.isEmpty {
            Console.print(Console.paint("  Due within \(window):", .bold))
            for item in due {
                Console.print("    \(Timestamp.through(item.expiresAt!))  \(item.item.id)  \(item.item.task) (\(item.status.rawValue))")
            }
        }
    }
}

struct StatusJSON: Encodable {
    struct Attention: Encodable {
        var id: String
        var task: String
        var status: String
        var missing: String
        var fix: String
    }

    struct Due: Encodable {
        var id: String
        var task: String
        var status: String
        var expiresAt: Date
    }

    var checklist: String
    var asOf: Date
    var passes: Bool
    var required: Int
    var satisfied: Int
    var counts: [String: Int]
    var kinds: [String: Int]
    var attention: [Attention]
    var dueSoon: [Due]
    var dueSoonWindow: String
    var digest: String

    init(_ state: ChecklistState, window: Interval) {
        checklist = state.checklist.id
        asOf = state.asOf
        passes = state.passes
        required = state.required.count
        satisfied = state.required.filter { $0.status.isSatisfied }.count
        counts = Dictionary(uniqueKeysWithValues: ItemStatus.allCases.map { ($0.rawValue, state.count($0)) })
        kinds = Dictionary(uniqueKeysWithValues: ItemKind.counts(of: state.items.map(\.item)).map { ($0.key.rawValue, $0.value) })
        attention = state.blocking.map { item in
            let (missing, fix) = item.explanation(checklist: state.checklist.id)
            return Attention(id: item.item.id, task: item.item.task, status: item.status.rawValue, missing: missing, fix: fix)
        }
        dueSoon = state.dueSoon(within: window).map { Due(id: $0.item.id, task: $0.item.task, status: $0.status.rawValue, expiresAt: $0.expiresAt!) }
        dueSoonWindow = window.description
        digest = state.digest
    }
}
