import AttestCore
import Foundation
import AttestTestSupport
import Testing

/// Every status transition of the contract's "Status of an item", each judged with `--as-of`.
@Suite struct EvaluatorTests {
    typealias F = EvaluatorFixture

    @Test func pendingUntilTickedThenComplete() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-09") == .pending)
        #expect(fixture.status("T-01", asOf: "2026-02-10") == .complete)
        #expect(fixture.status("T-01", asOf: "2030-01-01") == .complete, "without validity, evidence does not expire")
    }

    @Test func expiredByDate() {
        var fixture = F(items: [F.item("T-01", "R")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z", validUntil: "2026-06-30")
        #expect(fixture.status("T-01", asOf: "2026-06-30") == .complete, "the last day is still valid")
        #expect(fixture.status("T-01", asOf: "2026-07-01") == .expired)
        let state = fixture.state(asOf: "2026-07-01").items[0]
        #expect(state.explanation(checklist: "demo").missing.contains("2026-06-30"))
    }

    @Test func expiredByReviewInterval() {
        var fixture = F(items: [F.item("T-01", "RA", task: "Quarterly access review", interval: Interval(3, .month))])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z", effective: "2026-02-01")
        #expect(fixture.status("T-01", asOf: "2026-04-30") == .complete)
        #expect(fixture.status("T-01", asOf: "2026-05-01") == .expired, "effective 2026-02-01 + 3m ends 2026-05-01T00:00Z")
        fixture.tick("T-01", at: "2026-05-02T09:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-05-02") == .complete)
    }

    @Test func checklistDefaultIntervalAppliesWhenWordingHasNone() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.add(.settings(ChecklistSettings(defaultReviewInterval: Interval(1, .year))), item: nil, at: "2026-01-02T00:00:00Z")
        fixture.tick("T-01", at: "2026-01-10T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2027-01-09") == .complete)
        #expect(fixture.status("T-01", asOf: "2027-01-10") == .expired)
    }

    @Test func revokedEvidenceNoLongerCounts() {
        var fixture = F(items: [F.item("T-01", "RA")])
        let evidence = fixture.tick("T-01", at: "2026-02-10T09:00:00Z")
        fixture.add(.revocation(Revocation(target: evidence.id, reason: "wrong file")), item: "T-01", at: "2026-03-01T09:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-28") == .complete)
        #expect(fixture.status("T-01", asOf: "2026-03-01") == .pending)
    }

    @Test func brokenByMissingOrAlteredAttachment() {
        var fixture = F(items: [F.item("T-01", "RA"), F.item("T-02", "R")])
        let hash = String(repeating: "a", count: 64)
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z", attachments: [Attachment(name: "scan.pdf", size: 3, mediaType: "application/pdf", sha256: hash)])
        #expect(fixture.status("T-01", asOf: "2026-02-10", attachments: [hash: .intact]) == .complete)
        #expect(fixture.status("T-01", asOf: "2026-02-10", attachments: [hash: .missing]) == .broken)
        let altered = fixture.state(asOf: "2026-02-10", attachments: [hash: .altered(actual: String(repeating: "b", count: 64))])
        #expect(altered.items[0].status == .broken)
        #expect(altered.broken.count == 1 && altered.blocking.count == 2)
        #expect(fixture.status("T-01", asOf: "2026-02-09", attachments: [hash: .missing]) == .pending,
                "as of before the evidence, its attachment does not matter")
    }

    @Test func brokenWinsOverWaiverAndRevocationClearsIt() {
        var fixture = F(items: [F.item("T-01", "RA")])
        let hash = String(repeating: "c", count: 64)
        let evidence = fixture.tick("T-01", at: "2026-02-10T09:00:00Z", attachments: [Attachment(name: "a", size: 1, mediaType: "text/plain", sha256: hash)])
        fixture.add(.waiver(Waiver(reason: "r", approvedBy: "ciso", until: F.date("2027-01-01"))), item: "T-01", at: "2026-02-11T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-11", attachments: [hash: .missing]) == .broken)
        fixture.add(.revocation(Revocation(target: evidence.id, reason: "lost")), item: "T-01", at: "2026-02-12T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-12", attachments: [hash: .missing]) == .waived)
    }

    @Test func waivedUntilTheWaiverEnds() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.add(.waiver(Waiver(reason: "migration", approvedBy: "ciso", until: Timestamp.parse("2026-03-31")!.endExclusive)),
                    item: "T-01", at: "2026-02-01T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-01-31") == .pending)
        #expect(fixture.status("T-01", asOf: "2026-03-31") == .waived)
        #expect(fixture.status("T-01", asOf: "2026-04-01") == .pending, "waiver expired")
        #expect(fixture.state(asOf: "2026-03-15").dueSoon(within: Interval(30, .day)).map(\.item.id) == ["T-01"])
        // What is missing names the waiver that ran out, not only "no evidence" (a new user's find).
        let lapsed = fixture.state(asOf: "2026-04-01").items.first
        #expect(lapsed?.explanation(checklist: "c").missing.hasPrefix("the waiver ") == true)
        #expect(lapsed?.explanation(checklist: "c").missing.contains("ran out after 2026-03-31; no evidence recorded") == true)
        #expect(fixture.state(asOf: "2026-01-31").items.first?.explanation(checklist: "c").missing == "no evidence recorded")
    }

    @Test func laterWaiverWinsEvenWhenShorter() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.add(.waiver(Waiver(reason: "long", approvedBy: "a", until: F.date("2027-12-31"))), item: "T-01", at: "2026-02-01T00:00:00Z", by: "clone-a")
        fixture.add(.waiver(Waiver(reason: "short", approvedBy: "b", until: F.date("2026-03-01"))), item: "T-01", at: "2026-02-02T00:00:00Z", by: "clone-b")
        #expect(fixture.status("T-01", asOf: "2026-02-15") == .waived)
        #expect(fixture.status("T-01", asOf: "2026-03-01") == .pending, "the one recorded last wins")
    }

    @Test func notApplicableWithReasonAndApprover() {
        var fixture = F(items: [F.item("T-01", "RA")])
        let mark = fixture.add(.notApplicable(NotApplicable(reason: "no such system", approvedBy: "ciso")), item: "T-01", at: "2026-02-01T00:00:00Z")
        let state = fixture.state(asOf: "2026-02-01")
        #expect(state.items[0].status == .notApplicable && state.passes)
        #expect(state.items[0].notApplicable?.id == mark.id)
        fixture.add(.revocation(Revocation(target: mark.id, reason: "it applies after all")), item: "T-01", at: "2026-02-05T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-05") == .pending)
    }

    @Test func reviewRequiredCountsOnlyAcceptedEvidenceFromSomeoneElse() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.add(.settings(ChecklistSettings(reviewRequired: true)), item: nil, at: "2026-01-02T00:00:00Z")
        let evidence = fixture.tick("T-01", at: "2026-02-10T09:00:00Z", by: "alice")
        #expect(fixture.status("T-01", asOf: "2026-02-10") == .pending)
        #expect(fixture.state(asOf: "2026-02-10").items[0].explanation(checklist: "demo").fix.contains("attest review \(evidence.id)"))
        fixture.add(.review(Review(target: evidence.id, decision: .accept, comment: nil)), item: "T-01", at: "2026-02-11T00:00:00Z", by: "alice")
        #expect(fixture.status("T-01", asOf: "2026-02-11") == .pending, "a self-review written by another program does not count")
        fixture.add(.review(Review(target: evidence.id, decision: .reject, comment: "blurry")), item: "T-01", at: "2026-02-12T00:00:00Z", by: "bob")
        #expect(fixture.status("T-01", asOf: "2026-02-12") == .pending)
        fixture.add(.review(Review(target: evidence.id, decision: .accept, comment: nil)), item: "T-01", at: "2026-02-13T00:00:00Z", by: "bob")
        #expect(fixture.status("T-01", asOf: "2026-02-12") == .pending)
        #expect(fixture.status("T-01", asOf: "2026-02-13") == .complete)
        #expect(fixture.status("T-01", asOf: "2026-01-05") == .pending)
        fixture.add(.review(Review(target: evidence.id, decision: .reject, comment: nil)), item: "T-01", at: "2026-02-14T00:00:00Z", by: "ALICE")
        #expect(fixture.status("T-01", asOf: "2026-02-14") == .complete, "a later self-review does not undo another person's acceptance")
        fixture.add(.review(Review(target: evidence.id, decision: .reject, comment: "on second look")), item: "T-01", at: "2026-02-15T00:00:00Z", by: "carol")
        #expect(fixture.status("T-01", asOf: "2026-02-15") == .pending, "the latest review by someone else decides")
    }

    @Test func reviewNotRequiredBeforeTheSettingChanged() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z")
        fixture.add(.settings(ChecklistSettings(reviewRequired: true)), item: nil, at: "2026-03-01T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-28") == .complete)
        #expect(fixture.status("T-01", asOf: "2026-03-01") == .pending)
    }

    @Test func reconfirmAfterTheCustomersLettersChanged() {
        var fixture = F(items: [F.item("T-01", "R")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z")
        var changed = F.item("T-01", "RA", changedAt: "2026-03-01T00:00:00Z")
        changed.lettersChangedAt = F.date("2026-03-01T00:00:00Z")
        fixture.importTable([changed], at: "2026-03-01T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-02-28") == .complete, "as of before the re-import, the old table applies")
        #expect(fixture.status("T-01", asOf: "2026-03-01") == .reconfirm)
        #expect(!fixture.state(asOf: "2026-03-01").passes)
        fixture.add(.settings(ChecklistSettings(reviewRequired: true)), item: nil, at: "2026-03-02T00:00:00Z")
        fixture.tick("T-01", at: "2026-03-02T01:00:00Z", by: "alice")
        #expect(fixture.status("T-01", asOf: "2026-03-02") == .pending, "new evidence awaits review: no longer only old evidence")
        fixture.add(.settings(ChecklistSettings(reviewRequired: false)), item: nil, at: "2026-03-03T00:00:00Z")
        #expect(fixture.status("T-01", asOf: "2026-03-03") == .complete)
    }

    /// Issue 9: an item's first appearance is no change of its letters, so evidence recorded before it (a record
    /// dropped in early, or evidence for a row a later import adds) counts; only a real change asks to re-confirm.
    @Test func firstAppearanceIsNoChangeOfLetters() {
        var fixture = F(items: [F.item("T-01", "R")])
        fixture.tick("T-02", at: "2026-02-10T09:00:00Z")
        fixture.importTable([F.item("T-01", "R"), F.item("T-02", "RA", changedAt: "2026-03-01T00:00:00Z")], at: "2026-03-01T00:00:00Z")
        #expect(fixture.status("T-02", asOf: "2026-03-02") == .complete, "T-02 first appeared on 2026-03-01: that is no change")
        var changed = F.item("T-02", "R", changedAt: "2026-04-01T00:00:00Z")
        changed.lettersChangedAt = F.date("2026-04-01T00:00:00Z")
        fixture.importTable([F.item("T-01", "R"), changed], at: "2026-04-01T00:00:00Z")
        #expect(fixture.status("T-02", asOf: "2026-04-02") == .reconfirm, "a later change of its letters is one")
    }

    @Test func expiredOnlyWhenAllCurrentEvidenceIsPastItsValidity() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z", validUntil: "2026-03-31")
        fixture.tick("T-01", at: "2026-02-11T09:00:00Z", effective: "2026-06-01")
        #expect(fixture.status("T-01", asOf: "2026-04-15") == .pending, "the next evidence takes effect later: pending, not expired")
        #expect(fixture.status("T-01", asOf: "2026-06-01") == .complete)
    }

    @Test func retiredItemsDoNotBlock() {
        var fixture = F(items: [F.item("T-01", "RA"), F.item("T-02", "R")])
        var retired = F.item("T-02", "R")
        retired.retired = true
        fixture.importTable([F.item("T-01", "RA"), retired], at: "2026-03-01T00:00:00Z")
        fixture.tick("T-01", at: "2026-03-02T00:00:00Z")
        #expect(fixture.status("T-02", asOf: "2026-03-02") == .retired)
        #expect(fixture.state(asOf: "2026-03-02").passes)
        #expect(!fixture.state(asOf: "2026-02-15").passes)
    }

    @Test func nonObligationsHaveStatusesButNeverBlock() {
        let fixture = F(items: [F.item("T-01", "I"), F.item("T-02", "C"), F.item("T-03", "")])
        let state = fixture.state(asOf: "2026-02-01")
        #expect(state.items.map(\.item.kind) == [.informed, .consulted, .inherited])
        #expect(state.passes && state.required.isEmpty)
    }

    @Test func asOfBeforeTheImportHasNoItems() {
        let fixture = F(items: [F.item("T-01", "RA")], importedAt: "2026-05-01T00:00:00Z")
        #expect(fixture.state(asOf: "2026-04-30").items.isEmpty)
        #expect(fixture.state(asOf: "2026-05-01").items.count == 1)
    }

    @Test func evidenceTakesEffectOnItsEffectiveDate() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z", effective: "2026-03-01")
        #expect(fixture.status("T-01", asOf: "2026-02-20") == .pending)
        #expect(fixture.status("T-01", asOf: "2026-03-01") == .complete)
    }

    @Test func digestCoversExactlyTheRecordsUpToAsOf() {
        var fixture = F(items: [F.item("T-01", "RA")])
        fixture.tick("T-01", at: "2026-02-10T09:00:00Z")
        let before = fixture.state(asOf: "2026-02-10").digest
        #expect(fixture.state(asOf: "2026-02-10").digest == before, "the same state gives the same digest")
        fixture.tick("T-01", at: "2026-03-10T09:00:00Z")
        #expect(fixture.state(asOf: "2026-02-10").digest == before, "later records do not change a past digest")
        #expect(fixture.state(asOf: "2026-03-10").digest != before)
        fixture.tick("T-01", at: "2026-02-01T09:00:00Z")
        #expect(fixture.state(asOf: "2026-02-10").digest != before, "a back-dated record changes it")
    }
}

/// The state digest (`v2:`), held to its definition computed the plain way: each record's
/// `record <TAB> ID <TAB> SHA-256` line sorted by the ID's UTF-8 bytes, then each source's line sorted, after
/// the header.
@Suite struct StateDigestTests {
    static func plainDigest(checklistID: String, records: [StoredRecord]) -> String {
        let lines = records.sorted { $0.record.id.utf8.lexicographicallyPrecedes($1.record.id.utf8) }
            .map { "record\t\($0.record.id)\t\($0.sha256)\n" }
        let sources = Set(records.compactMap { stored -> String? in
            if case .import(let body) = stored.record.body { return body.source.sha256 }
            return nil
        }).sorted().map { "source\t\($0)\n" }
        return "v2:" + FileHasher.sha256(of: Data(("attest-state-v2\t\(checklistID)\n" + lines.joined() + sources.joined()).utf8))
    }

    @Test func theDigestIsItsDefinition() {
        var fixture = EvaluatorFixture(items: [EvaluatorFixture.item("T-1", "R")])
        // IDs that share their first 16 bytes and more, IDs that are prefixes of others, and one out of order.
        var records = fixture.records
        let ids = ["ev-20261127T101500Z-1a2b3c4d", "ev-20261127T101500Z-1a2b3c4", "ev-20261127T101500Z-0fffffff", "ev-2026",
                   "ev-20261127T101500Z-1a2b3c4d-b", "ev-20261127T101500Y-zzzzzzzz", "ev-a", "ev-20261127T101500Z-1A2B3C4D"]
        for (index, id) in ids.enumerated() {
            let record = Record(id: id, checklist: "demo", item: "T-1", recordedAt: EvaluatorFixture.date("2026-02-01"), by: "alice",
                                body: .evidence(Evidence(note: "\(index)", links: [], attachments: [], references: [],
                                                         effective: EvaluatorFixture.date("2026-02-01"), validUntil: nil)))
            records.append(StoredRecord(record: record, path: "records/T-1/\(id).json", sha256: String(repeating: String(index), count: 64)))
        }
        fixture.records = records.reversed()
        let expected = Self.plainDigest(checklistID: "demo", records: fixture.records)
        #expect(StateDigest.current(checklistID: "demo", records: fixture.records) == expected)
        #expect(fixture.state(asOf: "2026-03-01").digest == expected)
        // Records recorded after the as-of are not in it.
        #expect(fixture.state(asOf: "2026-01-15").digest == Self.plainDigest(checklistID: "demo", records: Array(fixture.records.suffix(1))))
    }
}
