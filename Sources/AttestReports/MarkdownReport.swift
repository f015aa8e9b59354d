public import AttestCore
import Foundation

/// The markdown audit summary for auditors: verdict first, then counts, obligations, evidence, waivers,
/// what expires soon, the items the customer does not own, anomalies and the state digest; the scope (with the
/// source matrix), period, policy and generator come first, after the verdict.
/// Every piece of input text goes through `cell` or `text`, so that nothing can break a table or inject HTML.
public struct MarkdownReport: Sendable {
    public var state: ChecklistState
    /// The due-soon window (default: the checklist's setting).
    public var window: Interval
    /// What produced the report; nil leaves the generator section out (a report rendered in memory).
    public var generator: ReportGenerator?

    /// The principal that signs the report files (`report --sign`), and the markdown file's path as the
    /// auditor's command names it (`Reports/<id>.md`); nil: the report is not signed.
    public var signedAs: (principal: String, path: String)?

    public init(state: ChecklistState, window: Interval? = nil, generator: ReportGenerator? = nil,
                signedAs: (principal: String, path: String)? = nil) {
        self.state = state
        self.window = window ?? state.settings.dueSoonWindow
        self.generator = generator
        self.signedAs = signedAs
    }

    public func render() -> String {
        let output = ReportOutput()
        write(to: output)
        return String(decoding: output.memory, as: UTF8.self)
    }

    /// Streams the report to `path` (a temporary file; `ReportWriter` renames it into place).
    func write(toFile path: String, displayPath: String) throws {
        let output = try ReportOutput(creating: path, displayPath: displayPath)
        write(to: output)
        try output.finish()
    }

    /// The lines, each followed by a line feed but the last. The evidence (a few lines per record, most of
    /// the report) is composed on every core and written in order as it is ready.
    private func write(to output: ReportOutput) {
        func write(_ lines: [String], last: Bool = false) {
            var bytes = ByteBuffer()
            for (index, line) in lines.enumerated() {
                bytes.append(utf8: line)
                if !last || index < lines.count - 1 { bytes.append(0x0A) }
            }
            output.write(bytes)
        }
        var out: [String] = []
        let checklist = state.checklist
        let required = state.required
        out.append("# Compliance report: \(text(checklist.title))")
        out.append("")
        let verdict = state.verdict
        out.append("**Verdict: \(verdict.word)**: \(verdict.detail).")
        out.append("")
        appendIntegrityProblems(&out)
        out.append("Checklist `\(checklist.id)`, customer party \(text(state.customerParty)), \(Wording.count(state.recordCount, "record")).")
        out.append("")
        appendHeader(&out)

        out.append("## Counts")
        out.append("")
        out += table(["Status", "Obligations"], alignments: ["---", "---:"],
                     ItemStatus.allCases.filter { $0 != .retired }.map { [$0.rawValue, String(state.count($0))] }
                         + [["**total**", "**\(required.count)**"]])

        appendObligations(&out)
        appendAttention(&out)
        write(out)
        out = []
        appendEvidence(to: output)
        appendWaivers(&out)
        appendDueSoon(&out)
        appendOthers(&out)
        appendAnomalies(&out)

        out.append("## State digest")
        out.append("")
        out.append("SHA-256 of the \(Wording.count(state.recordCount, "record")) recorded at or before \(Timestamp.format(state.asOf)):")
        out.append("")
        out.append("`\(state.digest)`")
        out.append("")
        out.append("To check later that nothing changed: `attest verify --checklist \(checklist.id) --digest \(state.digest) --as-of \(Timestamp.format(state.asOf))`")
        out.append("")
        appendReportSignature(&out)
        write(out, last: true)
    }

    /// What the checks before the report found, first: the verdict and everything below rest on the records.
    private func appendIntegrityProblems(_ out: inout [String]) {
        let problems = state.integrityProblems
        guard !problems.isEmpty else { return }
        out.append("## Integrity failures: \(problems.count)")
        out.append("")
        out.append("The checks before this report found \(Wording.count(problems.count, "integrity failure")); "
            + "`attest verify` names them all. Do not rely on this report until they are resolved.")
        out.append("")
        for problem in problems { out.append("- \(text(problem))") }
        out.append("")
    }

    /// Who signed `record`, in `RecordSignature`'s words: `signed by …`, `unsigned`, or why the signature does not count.
    private func signature(_ record: Record) -> String {
        text((state.signatures[record.id] ?? .unsigned).description)
    }

    /// The one command an auditor runs to check the markdown without attest (it cannot hold its own signature).
    private func appendReportSignature(_ out: inout [String]) {
        out.append("## Report signature")
        out.append("")
        guard let (principal, path) = signedAs else {
            out.append("Not signed (`attest report --sign` signs every report file).")
            out.append("")
            return
        }
        out.append("Every file of this report has a detached SSH signature beside it (`<file>.sig`), made as \(text(principal)) "
            + "in namespace `\(RecordSignature.reportNamespace)`. To check this file without attest, from the workspace root:")
        out.append("")
        let command = "ssh-keygen -Y verify -f \(AllowedSigners.fileName) -I \(Wording.shellWord(principal)) -n \(RecordSignature.reportNamespace) "
            + "-s \(Wording.shellWord(path + ".sig")) < \(Wording.shellWord(path))"
        let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(command) + 1))
        out += [fence + "sh", command, fence, ""]
        out.append("The same command, with another report file's name, checks that file.")
        out.append("")
    }


    static func longestBacktickRun(_ value: String) -> Int {
        var longest = 0, run = 0
        for character in value {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    private var parties: [String] { state.parties }

    /// Scope, period, policy in effect and generator: the same facts as the JUnit properties and
    /// `status --format json`. The generator section is the only part that may differ for the same state.
    private func appendHeader(_ out: inout [String]) {
        let facts = AuditHeader(state, generator: generator).facts
        for (group, title) in [("scope", "## Scope"), ("period", "## Period"), ("policy", "## Policy in effect"),
                               ("generator", "## Generator")] {
            let rows = facts.filter { $0.group == group }.map { fact -> [String] in
                let code = (fact.key.hasSuffix("sha256") && !fact.value.contains(" ")) || fact.key == "checklist"
                let value = code ? "`\(fact.value)`" : cell(fact.value)
                return [fact.label, value]
            }
            guard !rows.isEmpty else { continue }
            section(title, ["Field", "Value"], rows, empty: "", into: &out)
        }
    }

    /// A table and the blank line after it. Cells must already be escaped.
    private func table(_ headers: [String], alignments: [String]? = nil, _ rows: [[String]]) -> [String] {
        ["| " + headers.joined(separator: " | ") + " |",
         "|" + (alignments ?? headers.map { _ in "---" }).map { " \($0) |" }.joined()]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" } + [""]
    }

    /// A section heading, then `table` of `rows`, or `empty` when there are none.
    private func section(_ title: String, _ headers: [String], _ rows: [[String]], empty: String, into out: inout [String]) {
        out.append(title)
        out.append("")
        if rows.isEmpty {
            out.append(empty)
            out.append("")
        } else {
            out += table(headers, rows)
        }
    }

    /// A party's letters for a table cell (empty when it holds none).
    private func letters(_ item: ChecklistItem, _ party: String) -> String { item.responsibility[party] ?? "" }

    private func appendObligations(_ out: inout [String]) {
        let rows = state.required.map { item -> [String] in
            let latest = item.latestEvidence.map { "\(Timestamp.human($0.record.recordedAt)) by \(cell($0.record.by))" } ?? "none"
            let valid: String
            switch item.status {
            case .complete: valid = item.expiresAt.map(Timestamp.through) ?? "no expiry"
            case .waived: valid = item.expiresAt.map { "waived through \(Timestamp.through($0))" } ?? ""
            case .expired: valid = item.expiresAt.map { "expired after \(Timestamp.through($0))" } ?? "expired"
            case .pending: valid = item.futureEvidence.first.map(\.standingText) ?? ""
            default: valid = ""
            }
            let count = item.evidence.filter { $0.standing != .revoked }.count
            return [item.item.id, cell(item.item.task), "**\(item.status.rawValue)**"] + parties.map { letters(item.item, $0) }
                + [String(count), latest, valid]
        }
        section("## Obligations", ["ID", "Task", "Status"] + parties.map(cell) + ["Evidence", "Latest evidence", "Valid until"], rows,
                empty: "The matrix gives the customer no obligation.", into: &out)
    }

    /// Every obligation that blocks the gate: what is missing (an approval, a signature, evidence) and the fix.
    private func appendAttention(_ out: inout [String]) {
        let blocking = state.blocking
        guard !blocking.isEmpty else { return }
        out.append("## What is missing")
        out.append("")
        for item in blocking {
            let (missing, fix) = item.attention(checklist: state.checklist.id)
            out.append("- **\(item.item.id)** (\(item.status.rawValue)): \(text(missing)). Fix: \(text(fix))")
        }
        out.append("")
    }

    private func appendEvidence(to output: ReportOutput) {
        let withEvidence = state.items.filter { !$0.evidence.isEmpty }
        guard !withEvidence.isEmpty else { return output.write("## Evidence\n\nNo evidence recorded.\n\n") }
        output.write("## Evidence\n\n")
        let report = self, runs = Parallel.ranges(withEvidence.count, size: 8)
        output.writeOrdered(runs.count) { run in
            var bytes = ByteBuffer(capacity: 1 << 16)
            for item in withEvidence[runs[run]] {
                report.appendEvidence(of: item, to: &bytes)
            }
            return bytes
        }
    }

    /// An item's evidence: a heading, then each record with its attachments, links, revocation and review.
    /// Written straight into bytes (a few lines for each of 10^5 records at scale).
    private func appendEvidence(of item: ItemState, to out: inout ByteBuffer) {
        out.append(utf8: "### \(item.item.id): \(text(item.item.task))\n\n")
        for evidence in item.evidence {
            let record = evidence.record
            out.append("- `"); out.append(utf8: record.id); out.append("` recorded "); Timestamp.append(record.recordedAt, to: &out)
            out.append(" by "); out.append(utf8: text(record.by)); out.append(", effective ")
            out.append(utf8: Timestamp.human(evidence.evidence.effective))
            if let until = evidence.validUntil { out.append(", valid through "); out.append(utf8: Timestamp.through(until)) }
            out.append(": **"); out.append(utf8: evidence.standingText); out.append("**; "); out.append(utf8: signature(record)); out.append(0x0A)
            if let note = evidence.evidence.note { out.append("  - note: "); out.append(utf8: text(note)); out.append(0x0A) }
            for attachment in evidence.evidence.attachments {
                let damage = evidence.damagedAttachments.first { $0.attachment == attachment }
                out.append("  - attachment "); out.append(utf8: text(attachment.name)); out.append(", ")
                out.append(utf8: String(attachment.size)); out.append(attachment.size == 1 ? " byte, " : " bytes, ")
                out.append(utf8: text(attachment.mediaType))
                if let named = attachment.extensionMediaType { out.append(utf8: " (its name suggests \(text(named)))") }
                out.append(", SHA-256 `"); out.append(utf8: attachment.sha256); out.append(UInt8(ascii: "`"))
                if let damage { out.append(damage.check == .missing ? " — **MISSING**" : " — **ALTERED**") }
                out.append(0x0A)
            }
            for link in evidence.evidence.links { out.append("  - link: "); out.append(utf8: text(link)); out.append(0x0A) }
            for reference in evidence.evidence.references {
                out.append(utf8: "  - reference: \(text(reference.url)), SHA-256 `\(reference.sha256)` (not checked locally)\n")
            }
            if let revocation = evidence.revocation, case .revocation(let body) = revocation.body {
                out.append(utf8: "  - revoked \(Timestamp.format(revocation.recordedAt)) by \(text(revocation.by)): \(text(body.reason)); \(signature(revocation))\n")
            }
            if let review = evidence.review, case .review(let body) = review.body {
                out.append(utf8: "  - \(body.decision == .accept ? "accepted" : "rejected") \(Timestamp.format(review.recordedAt)) by \(text(review.by))"
                    + (body.comment.map { ": \(text($0))" } ?? "") + "; \(signature(review))\n")
            }
        }
        out.append(0x0A)
    }


    /// Waivers and not-applicable marks in force, and those that count once their approver co-signs them,
    /// each with who signed it and its approvals.
    private func appendWaivers(_ out: inout [String]) {
        let shown = state.items.filter { $0.status == .waived || $0.status == .notApplicable || $0.awaitingApproval != nil }
        let rows = shown.map { item -> [String] in
            var reason = item.sourceNotApplicableReason, approver = "source matrix", until = "no expiry", recorded = "by the source matrix"
            var status = item.status.rawValue
            if let record = item.waiver ?? item.notApplicable ?? item.awaitingApproval {
                switch record.body {
                case .waiver(let body): (reason, approver, until) = (body.reason, body.approvedBy, Timestamp.through(body.until))
                case .notApplicable(let body): (reason, approver) = (body.reason, body.approvedBy)
                default: break
                }
                recorded = "`\(record.id)` \(Timestamp.format(record.recordedAt)) by \(cell(record.by)); \(signature(record))"
                for approval in item.records where approval.type == .approval {
                    guard case .approval(let body) = approval.body, body.target == record.id else { continue }
                    recorded += "; approved `\(approval.id)` \(Timestamp.format(approval.recordedAt)) by \(cell(approval.by)); \(signature(approval))"
                }
                if record.id == item.awaitingApproval?.id { status += " (awaiting approval)" }
            }
            return [item.item.id, cell(item.item.task), status, cell(reason), cell(approver), until, recorded]
        }
        section("## Waivers and not-applicable items", ["ID", "Task", "Status", "Reason", "Approved by", "Until", "Recorded"], rows,
                empty: "None.", into: &out)
    }

    private func appendDueSoon(_ out: inout [String]) {
        let rows = state.dueSoon(within: window).map { item in
            [item.item.id, cell(item.item.task), item.status.rawValue, Timestamp.through(item.expiresAt!)]
        }
        section("## Due within \(window)", ["ID", "Task", "Status", "Through"], rows,
                empty: "Nothing expires before \(Timestamp.human(window.added(to: state.asOf))).", into: &out)
    }

    private func appendOthers(_ out: inout [String]) {
        let live = state.items.filter { !$0.item.retired }
        let groups: [(String, [ItemState])] = [
            ("Consulted", live.filter { $0.item.kind == .consulted }),
            ("Informed", live.filter { $0.item.kind == .informed }),
            ("Inherited (the provider's)", live.filter { $0.item.kind == .inherited }),
            ("Not applicable by the matrix", live.filter { $0.item.kind == .notApplicable }),
            ("Retired (gone from the matrix; records kept)", state.items.filter(\.item.retired)),
        ]
        out.append("## Items the customer does not own")
        out.append("")
        for (title, items) in groups where !items.isEmpty {
            out.append("### \(title): \(items.count)")
            out.append("")
            out += table(["ID", "Task", "Section"] + parties.map(cell), items.map { item in
                [item.item.id, cell(item.item.task), cell(item.item.section)] + parties.map { letters(item.item, $0) }
            })
        }
    }

    private func appendAnomalies(_ out: inout [String]) {
        let rows = state.items.filter { !$0.item.retired }.flatMap { item in
            RACILint.anomalies(item.item.responsibility, parties: parties, singleColumn: item.item.singleColumn ?? false)
                .map { [item.item.id, cell(item.item.task), cell($0.description)] }
        }
        section("## RACI anomalies", ["ID", "Task", "Anomaly"], rows, empty: "None.", into: &out)
    }

    // MARK: Escaping

    /// Bytes that `text` would change: ASCII controls and markdown/HTML punctuation, and the lead bytes
    /// of C1 controls (0xC2), line/paragraph separators and bidi controls (0xE2). Most text has none.
    private static let special: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in 0..<0x20 { table[byte] = true }
        for character in "&<>|\\`*_[]#~!{}()$" { table[Int(character.asciiValue!)] = true }
        for byte in [0x7F, 0xC2, 0xE2] { table[byte] = true }
        return table
    }()

    static func needsNoEscaping(_ value: String) -> Bool {
        guard let first = value.utf8.first, first != 0x20, value.utf8.last != 0x20 else { return value.isEmpty }
        let special = Self.special
        return value.utf8.withContiguousStorageIfAvailable { utf8 in !utf8.contains { special[Int($0)] } }
            ?? !value.utf8.contains { special[Int($0)] }
    }

    /// Text for a table cell: no line breaks, no pipes, no HTML, no markdown that could open a link or code span.
    func cell(_ value: String) -> String { text(value) }

    /// Inline text anywhere: characters that markdown or HTML would interpret are escaped; control
    /// characters, line breaks and bidi controls are shown escaped and visible as in terminal text
    /// (`VisibleText`: `\n`, `\e`, `\u{202E}`), their backslash and braces then escaped for markdown.
    func text(_ value: String) -> String {
        if Self.needsNoEscaping(value) { return value }
        var result = ""
        result.reserveCapacity(value.count)
        for scalar in VisibleText.escape(value).unicodeScalars {
            switch scalar {
            case "&": result.append("&amp;")
            case "<": result.append("&lt;")
            case ">": result.append("&gt;")
            case "|": result.append("&#124;")
            case "\\", "`", "*", "_", "[", "]", "#", "~", "!", "{", "}", "(", ")", "$":
                result.append("\\")
                result.unicodeScalars.append(scalar)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        let trimmed = result.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty && !value.isEmpty ? "\\-" : trimmed
    }
}
