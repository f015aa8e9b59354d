@testable import AttestCore
import AttestTestSupport
import Foundation

/// A checklist with every status present, and hostile text in tasks, notes and names.
enum ReportFixture {
    static let hostile = "Patch <script>alert(1)</script> | pipe ]]> \u{1B}[31mred\u{7}\nnew line 🚀 שלום \u{202E}txet"
    static let missingHash = String(repeating: "d", count: 64)
    static let asOf = "2026-06-15"
    static let allowedSignersSHA256 = String(repeating: "e", count: 64)

    /// A valid signature by `principal` with a fixed ed25519 key (made once by ssh-keygen).
    static func signed(by principal: String) -> RecordSignature {
        let key = try! SSHPublicKey(authorizedKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPTbCaKTCSxvfdWK7UTDx1l6do8FK4btO8IeIa8XkzCb fixture")
        return .valid(SignedBy(principal: principal, key: key, allowedSignersLine: 1, securityKey: nil))
    }

    static var state: ChecklistState {
        typealias F = EvaluatorFixture
        var items = (1...8).map { F.item(String(format: "T-%02d", $0), $0 == 2 ? "R" : "RA", task: task($0)) }
        items.append(F.item("T-09", "I", task: "Reading the provider's status page"))
        items.append(F.item("T-10", "C", task: "Approving maintenance windows"))
        items.append(F.item("T-11", "", task: "Patching the hypervisor"))
        items.append(F.item("T-12", "RA", task: hostile))
        var fixture = F(items: items)
        fixture.add(.evidence(Evidence(
            note: "Signed off | by <b>Ops</b>\nsee `ticket` [link](javascript:alert(1))",
            links: ["https://tickets.example.com/SEC-42?a=1&b=<2>"],
            attachments: [Attachment(name: "pen|test <report>.pdf", size: 48_213, mediaType: "application/pdf", sha256: String(repeating: "a", count: 64))],
            references: [ExternalReference(url: "s3://evidence/full-dump.tar", sha256: String(repeating: "b", count: 64))],
            effective: F.date("2026-01-15"), validUntil: Timestamp.parse("2026-07-01")!.endExclusive)),
            item: "T-01", at: "2026-01-15T10:00:00Z", by: "Ünal \u{1B}[1m<admin>\u{0} 😀")
        fixture.sign(last: .invalid("the signing key is not listed in allowed_signers for this principal"))
        fixture.tick("T-03", at: "2026-01-20T10:00:00Z", validUntil: "2026-03-31")
        fixture.sign(last: signed(by: "alice@example.com"))
        // Dated after the as-of: "not yet effective until 2026-07-01" everywhere; T-02 stays pending.
        fixture.tick("T-02", at: "2026-06-01T10:00:00Z", effective: "2026-07-01")
        fixture.tick("T-04", at: "2026-01-21T10:00:00Z")
        fixture.tick("T-05", at: "2026-02-01T10:00:00Z",
                     attachments: [Attachment(name: "backup-restore.log", size: 912, mediaType: "text/plain", sha256: missingHash)])
        fixture.add(.waiver(Waiver(reason: "Migration to the new region | Q3", approvedBy: "ciso@example.com",
                                   until: Timestamp.parse("2026-06-30")!.endExclusive)), item: "T-06", at: "2026-02-10T10:00:00Z")
        fixture.sign(last: signed(by: "alice@example.com"))
        let waiver = fixture.records[fixture.records.count - 1]
        fixture.add(.approval(Approval(target: waiver.record.id, sha256: waiver.sha256)), item: "T-06", at: "2026-02-10T11:00:00Z",
                    by: "ciso@example.com")
        fixture.sign(last: signed(by: "ciso@example.com"))
        fixture.add(.notApplicable(NotApplicable(reason: "No custom apps <yet>", approvedBy: "cto@example.com")), item: "T-07", at: "2026-02-11T10:00:00Z")
        fixture.add(.evidence(Evidence(note: hostile, links: [], attachments: [], references: [], effective: F.date("2026-02-12"), validUntil: nil)),
                    item: "T-12", at: "2026-02-12T10:00:00Z", by: hostile)
        fixture.add(.revocation(Revocation(target: fixture.records.last!.record.id, reason: "wrong item \n| x")), item: "T-12",
                    at: "2026-02-13T10:00:00Z")
        var changed = items
        changed[3].customerLetters = "R"
        changed[3].responsibility["Customer"] = "R"
        changed[3].lettersChangedAt = F.date("2026-03-01")
        changed[7].retired = true
        fixture.importTable(changed, at: "2026-03-01T00:00:00Z")
        var state = fixture.state(asOf: asOf, attachments: [missingHash: .missing])
        state.allowedSignersSHA256 = allowedSignersSHA256
        return state
    }

    static func task(_ number: Int) -> String {
        ["Integrating external applications", "Installing App Builder apps", "Testing performance quarterly",
         "Theming custom apps", "Restoring backups", "Running PCI ASV scans", "Configuring custom apps", "Retired row"][number - 1]
    }
}
