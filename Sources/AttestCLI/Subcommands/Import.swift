import ArgumentParser
import AttestCore
import AttestImport
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or re-import a RACI matrix (markdown pipe or HTML tables, CSV, OSCAL SSP JSON) as a checklist.",
        discussion: """
            Each table row becomes an item. The customer's column decides its kind: R or A make an obligation \
            (required), C consulted, I informed, empty inherited (the provider keeps it). The customer column is \
            found by name (Customer, Customers, Merchant, Client, Client Role, Rôle Client, Your Responsibilities, \
            Kunde, お客様) or given with --party. Tables without one are skipped, and said so.

            Re-importing a changed matrix keeps item IDs, reports added, removed (retired) and changed items; \
            evidence recorded before an item's customer letters changed must be re-confirmed.
            """)

    @Argument(help: ArgumentHelp("The matrix file (.md, .html, .csv, or an OSCAL SSP .json).", valueName: "MATRIX"))
    var matrix: String

    @OptionGroup var location: WorkspaceOptions

    @Option(help: ArgumentHelp("The customer's column header, when it is not one of the usual names.", valueName: "NAME"))
    var party: String?

    @Option(help: ArgumentHelp("The provider's name (default: the first other party).", valueName: "NAME"))
    var provider: String?

    @Option(help: ArgumentHelp("Item ID prefix (default: the checklist ID's initials, e.g. ACCS).", valueName: "PREFIX"))
    var prefix: String?

    @Option(help: ArgumentHelp("The column that holds the task text.", valueName: "NAME"))
    var taskColumn: String?

    @Option(help: ArgumentHelp("The matrix's version, date or commit, kept in the import record.", valueName: "VERSION"))
    var sourceVersion: String?

    @Option(help: ArgumentHelp("Where the provider publishes the matrix; remembered for later imports.", valueName: "URL"))
    var sourceUrl: String?

    @Flag(help: "Show what would change; write nothing.")
    var dryRun = false

    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        guard let id = location.checklist else {
            throw ValidationError("give the checklist's ID with --checklist ID (lowercase letters, digits and hyphens)")
        }
        let workspace = try location.locate()
        let options = MatrixImport.Options(party: party, provider: provider, prefix: prefix, taskColumn: taskColumn,
                                           sourceVersion: sourceVersion, sourceURL: sourceUrl, dryRun: dryRun, sign: signing.sign || signing.key != nil)
        // Who imports (git's user.email, a process launch) is looked up while the matrix is read.
        let named = actor.by, root = workspace.root
        let identity = Background { named ?? Identity.current(in: root) }
        let outcome = ProcessLifetime.keep(try MatrixImport(workspace: workspace, checklistID: id, options: options)
            .run(matrixURL: URL(fileURLWithPath: matrix), displayPath: matrix, by: identity.value) {
                try signing.signer(in: workspace, allowedSigners: try SignatureContext.load(workspace, checklist: id).allowedSigners)
            })
        if output.json {
            try Console.printJSON(ImportJSON(outcome, dryRun: dryRun))
            return
        }
        for warning in outcome.matrix.warnings { Console.warning(warning) }
        report(outcome)
    }

    /// `import --format json`: what was imported and what changed.
    struct ImportJSON: Encodable {
        var checklist: String
        var firstImport: Bool
        var dryRun: Bool
        var items: Int
        var kinds: [String: Int]
        var customerParty: String
        var parties: [String]
        var sourceSHA256: String
        var added: [String]
        var removed: [String]
        var changed: [String]
        var lettersChanged: [String]
        var skippedTables: [String]
        var warnings: [String]
        var record: String?

        init(_ outcome: MatrixImport.Outcome, dryRun: Bool) {
            let live = outcome.checklist.items.filter { !$0.retired }
            checklist = outcome.checklist.id
            firstImport = outcome.isFirstImport
            self.dryRun = dryRun
            items = live.count
            kinds = Dictionary(uniqueKeysWithValues: ItemKind.counts(of: live).map { ($0.key.rawValue, $0.value) })
            customerParty = outcome.checklist.customerParty
            parties = outcome.checklist.parties
            sourceSHA256 = outcome.checklist.source.sha256
            added = outcome.changes.added
            removed = outcome.changes.removed
            changed = outcome.changes.changed
            lettersChanged = outcome.changes.lettersChanged
            skippedTables = outcome.matrix.skipped.map(\.description)
            warnings = outcome.matrix.warnings
            record = outcome.recordPath
        }
    }

    private func report(_ outcome: MatrixImport.Outcome) {
        let items = outcome.checklist.items.filter { !$0.retired }
        let kinds = ItemKind.counts(of: items)
        let counts = ItemKind.allCases.map { ($0, kinds[$0]!) }
            .filter { $0.1 > 0 }
            .map { "\($0.1) \($0.0 == .obligation ? ($0.1 == 1 ? "obligation" : "obligations") : $0.0.rawValue)" }
        let verb = dryRun ? "Would import" : (outcome.isFirstImport ? "Imported" : "Re-imported")
        Console.print("\(verb) \(matrix.visible) into checklist \(outcome.checklist.id): \(items.count) items (\(counts.joined(separator: ", "))) "
            + "from \(outcome.matrix.tableCount) table\(outcome.matrix.tableCount == 1 ? "" : "s"); customer column \"\(outcome.checklist.customerParty.visible)\".")
        for table in outcome.matrix.skipped {
            Console.print("  skipped table at \(table.description.visible)")
        }
        if outcome.follows.count > 1 {
            Console.print("  resolved a fork: this import follows \(outcome.follows.joined(separator: " and "))")
        }
        if !outcome.isFirstImport {
            let changes = outcome.changes
            if changes.isEmpty { Console.print("  no change since the last import") }
            let byID = Dictionary(uniqueKeysWithValues: outcome.checklist.items.map { ($0.id, $0) })
            for (label, ids) in [("added", changes.added), ("removed (retired)", changes.removed), ("changed", changes.changed)] where !ids.isEmpty {
                Console.print("  \(label): \(ids.count)")
                for id in ids {
                    let item = byID[id]
                    let marker = changes.lettersChanged.contains(id) ? " (customer letters now \"\((item?.customerLetters ?? "").visible)\": re-confirm evidence)" : ""
                    Console.print("    \(id.visible)  \((item?.task ?? "").visible)\(marker)")
                }
            }
        }
        if let path = outcome.recordPath {
            Console.print("  source sha256 \(outcome.checklist.source.sha256.visible); import record \(path.visible)")
            SigningOptions.sayIfSigned(by: outcome.signedBy, at: path)
        } else {
            Console.print("  dry run: nothing written")
        }
    }
}
