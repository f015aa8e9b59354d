import ArgumentParser
import AttestCore
import AttestImport
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the trail is intact: attachments, sources, records, the item table, and git history.",
        discussion: """
            Re-hashes every attachment and stored source, re-reads and schema-checks every record (reporting every \
            unreadable one), derives the item table in effect again from its stored source, and in a git \
            repository compares every committed record, source and attachment with the working tree. Outside git \
            the git check is skipped, and said so. --ref references (URL + SHA-256) are listed as not checked locally.

            Exit 0 when everything holds; 3 on an integrity failure (a file missing or altered, a table its source \
            does not give, a committed file modified or deleted, a digest that does not match, history since --since \
            that modifies or deletes); 2 when a file cannot be read (and there is no integrity failure).
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    @Option(help: ArgumentHelp("The state digest a report printed (v2:HEX, or HEX from attest 0.1).", valueName: "DIGEST"))
    var digest: String?

    @Option(help: ArgumentHelp("Check that every commit since REV only added records, sources and attachments.", valueName: "REV"))
    var since: String?

    func validate() throws {
        if let digest, !StateDigest.isWellFormed(digest.lowercased()) {
            throw ValidationError("--digest \"\(digest)\" is not a digest; give it as the report printed it (v2: and 64 hex digits)")
        }
        if digest != nil && time.asOf == nil {
            throw ValidationError("--digest needs the report's --as-of (printed next to the digest)")
        }
    }

    func run() throws {
        let asOf = try time.date()
        let workspace = try location.locate()
        // A --since that names no commit is said before anything is re-hashed, as what it is (not "a file
        // could not be read" after the whole run).
        if let since, let refusal = LedgerAudit.sinceRefusal(workspace, since: since) { throw InputErrors(messages: [refusal]) }
        let checklists = try workspace.resolveChecklists(location.checklist)
        // A digest is one checklist's (its ID is hashed in): checked against the others it could only fail.
        if digest != nil && checklists.count > 1 {
            throw InputErrors(messages: ["--digest is the digest of one checklist's state and this workspace has \(checklists.count) "
                + "(\(checklists.joined(separator: ", "))): give --checklist ID with it, as the report's verify command does"])
        }
        var audits: [LedgerAudit] = []
        let ticker = Console.progressOnTerminal { done in "re-hashing attachments: \(done)" }
        var progress: (@Sendable (Int, Int) -> Void)?
        if let ticker { progress = { done, _ in ticker(done) } }
        for id in checklists {
            do {
                // Every signature verified afresh: the verdict cache in .attest/ is never evidence.
                let ledger = try Ledger.load(workspace.store(for: id), strict: false, freshSignatures: true)
                audits.append(LedgerAudit.run(ledger, asOf: asOf, depth: .verify, deriver: TableDeriver(),
                                              expectedDigest: digest?.lowercased(), progress: progress))
            } catch {
                // A checklist that cannot be read at all (its import record deleted, say): git still says what changed.
                var audit = LedgerAudit(checklist: id, asOf: asOf)
                audit.inputErrors = [(error as? any LocalizedError)?.errorDescription ?? "\(error)"]
                audits.append(audit)
            }
        }
        Console.clearProgress()
        // Git covers every checklist (or the one named), also one whose files are gone from the working tree.
        var gitFindings = LedgerAudit(checklist: location.checklist ?? "workspace", asOf: asOf)
        gitFindings.add(LedgerAudit.git(workspace, checklist: location.checklist, since: since))
        if let index = audits.firstIndex(where: { $0.checklist == gitFindings.checklist }) ?? (audits.count == 1 ? 0 : nil) {
            audits[index].problems += gitFindings.problems
            audits[index].inputErrors += gitFindings.inputErrors
            audits[index].warnings += gitFindings.warnings
            audits[index].notes += gitFindings.notes
            audits[index].gitChecked = gitFindings.gitChecked
        } else {
            audits.append(gitFindings)  // every checklist's history, said on a line of its own
        }
        let historyOnly = audits.count > checklists.count ? audits.count - 1 : nil
        if output.json {
            try Console.printJSON(audits)
        } else {
            for (index, audit) in audits.enumerated() { printText(audit, historyOnly: index == historyOnly) }
        }
        let problems = audits.flatMap { $0.problems }
        let unreadable = audits.flatMap { $0.inputErrors }
        if !problems.isEmpty && !unreadable.isEmpty && !output.json {
            for message in unreadable { Console.error(message) }  // exit 3 wins, but what could not be read is still said
        }
        if !problems.isEmpty {
            throw IntegrityError(problems: [], remedy: "\(problems.count) integrity failure\(problems.count == 1 ? "" : "s") (listed above); "
                + "restore the files from git, or record corrections (attest revoke, attest tick, attest import)")
        }
        let inputErrors = audits.flatMap { $0.inputErrors }
        if !inputErrors.isEmpty {
            if output.json { throw ExitCode(2) }
            throw InputErrors(messages: inputErrors)  // every file that could not be read, each named, on standard error
        }
    }

    /// One checklist's findings; `historyOnly`: git's findings for the whole workspace (several checklists).
    private func printText(_ audit: LedgerAudit, historyOnly: Bool = false) {
        if historyOnly {
            Console.print("every checklist, against git (committed records, sources and attachments" + (since.map { "; history since \($0)" } ?? "") + "):")
        } else {
            Console.print("\(audit.checklist): \(Wording.count(audit.recordCount, "record")) read, "
                + "\(Wording.count(audit.attachmentCount, "attachment")) and \(Wording.count(audit.sourceCount, "source")) re-hashed")
        }
        for line in audit.problems { Console.print("  " + Console.paint("FAIL", .red) + " \(line.visible)") }
        for line in audit.warnings { Console.print("  " + Console.paint("warning", .yellow) + " \(line.visible)") }
        for line in audit.notes { Console.print("  note: \(line)") }
        for reference in audit.unchecked { Console.print("  not checked locally: \(reference.visible)") }
        if !audit.unsigned.isEmpty {
            let shown = audit.unsigned.prefix(20)
            Console.print("  unsigned: \(audit.unsigned.count) record\(audit.unsigned.count == 1 ? "" : "s")"
                + (audit.unsigned.count > shown.count ? " (the first \(shown.count); --format json lists all)" : ""))
            for path in shown { Console.print("    \(path.visible)") }
        }
        if let sha256 = audit.allowedSignersSHA256 { Console.print("  allowed_signers sha256 \(sha256)") }
        if let digest = audit.digest {
            Console.print("  digest as of \(Timestamp.format(audit.asOf)): \(digest)"
                + (audit.digestMatches.map { $0 ? " (matches)" : " (DOES NOT MATCH)" } ?? ""))
        }
        if audit.problems.isEmpty && audit.inputErrors.isEmpty { Console.print("  " + Console.paint("OK", .green)) }
        if !audit.inputErrors.isEmpty {
            Console.print("  " + Console.paint("ERROR", .red) + " \(audit.inputErrors.count) file\(audit.inputErrors.count == 1 ? "" : "s") could not be read (listed on standard error)")
        }
    }
}
