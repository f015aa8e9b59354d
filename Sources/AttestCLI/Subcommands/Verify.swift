import ArgumentParser
import AttestCore
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-hash every attachment and re-read every record; optionally check a past report's digest.",
        discussion: """
            Exit 0 when everything matches; 3 when an attachment is missing or altered, or when --digest does not \
            match the state as of --as-of (both are printed in the markdown report); 2 when a record cannot be read. \
            --ref references (URL + SHA-256) are listed as not checked locally.
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    @Option(help: ArgumentHelp("The state digest a report printed.", valueName: "HEX"))
    var digest: String?

    func validate() throws {
        if let digest, !FileHasher.isValidHex(digest.lowercased()) {
            throw ValidationError("--digest must be the 64-hex-digit digest a report printed")
        }
        if digest != nil && time.asOf == nil {
            throw ValidationError("--digest needs the report's --as-of (printed next to the digest)")
        }
    }

    func run() throws {
        let asOf = try time.date()
        var problems: [String] = []
        var results: [Verification] = []
        for ledger in try location.ledgers() {
            let result = try Verification.run(ledger, asOf: asOf, expectedDigest: digest?.lowercased())
            Console.clearProgress()
            problems += result.problems
            results.append(result)
            if !output.json { printText(result) }
        }
        if output.json { try Console.printJSON(results) }
        if !problems.isEmpty {
            let digestOnly = problems.allSatisfy { $0.hasPrefix("state digest") }
            throw IntegrityError(problems: problems, remedy: digestOnly
                ? "Records were added, changed or removed at or before that time: git log --stat -- Checklists shows which"
                : IntegrityError.attachmentRemedy)
        }
    }

    private func printText(_ result: Verification) {
        let id = result.checklist
        Console.print("\(id): \(result.recordCount) records read, \(result.attachmentCount) attachments re-hashed")
        for line in result.problems { Console.print("  " + Console.paint("FAIL", .red) + " \(line.visible)") }
        for reference in result.unchecked { Console.print("  not checked locally: \(reference.visible)") }
        if let digest = result.digest {
            Console.print("  digest as of \(Timestamp.format(result.asOf)): \(digest)"
                + (result.digestMatches.map { $0 ? " (matches)" : " (DOES NOT MATCH)" } ?? ""))
        }
        if result.problems.isEmpty { Console.print("  " + Console.paint("OK", .green)) }
    }
}

/// What `verify` found for one checklist (also its `--format json` shape).
struct Verification: Encodable {
    var checklist: String
    var asOf: Date
    var recordCount: Int
    var attachmentCount: Int
    var problems: [String]
    var unchecked: [String]
    var digest: String?
    var digestMatches: Bool?

    enum CodingKeys: String, CodingKey {
        case checklist, asOf, recordCount = "records", attachmentCount = "attachments", ok, problems, unchecked = "notCheckedLocally",
             digest, digestMatches
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(checklist, forKey: .checklist)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encode(attachmentCount, forKey: .attachmentCount)
        try container.encode(problems.isEmpty, forKey: .ok)
        try container.encode(problems, forKey: .problems)
        try container.encode(unchecked, forKey: .unchecked)
        try container.encodeIfPresent(digest, forKey: .digest)
        try container.encodeIfPresent(digestMatches, forKey: .digestMatches)
    }

    static func run(_ ledger: Ledger, asOf: Date, expectedDigest: String?) throws -> Verification {
        var hashes: [String: [(item: String, record: String, name: String)]] = [:]
        var unchecked: [String] = []
        for stored in ledger.records {
            guard case .evidence(let evidence) = stored.record.body else { continue }
            for attachment in evidence.attachments {
                hashes[attachment.sha256, default: []].append((stored.record.item ?? "", stored.record.id, attachment.name))
            }
            for reference in evidence.references {
                unchecked.append("\(stored.record.item ?? "") \(stored.record.id): \(reference.url) (sha256 \(reference.sha256))")
            }
        }
        let total = hashes.count
        let checks = ledger.store.attachments.verify(Set(hashes.keys), progress: Console.progressOnTerminal { done in
            "re-hashing attachments: \(done)/\(total)"
        })
        var problems: [String] = []
        for (hash, check) in checks.sorted(by: { $0.key < $1.key }) where check != .intact {
            for use in hashes[hash] ?? [] {
                problems.append("\(use.item) \(use.record): attachment \(use.name.visible) \(check.problem): \(ledger.store.attachments.relativePath(for: hash))")
            }
        }
        var digest: String?
        var matches: Bool?
        if let expectedDigest {
            let visible = ledger.records.filter { $0.record.recordedAt <= asOf }
            digest = Evaluator.digest(checklistID: ledger.checklist.id, records: visible)
            matches = digest == expectedDigest
            if matches == false {
                problems.append("state digest as of \(Timestamp.format(asOf)) is \(digest!), not \(expectedDigest): records were added, changed or removed since the report")
            }
        }
        return Verification(checklist: ledger.checklist.id, asOf: asOf, recordCount: ledger.records.count, attachmentCount: checks.count,
                            problems: problems, unchecked: unchecked.sorted(), digest: digest, digestMatches: matches)
    }
}
