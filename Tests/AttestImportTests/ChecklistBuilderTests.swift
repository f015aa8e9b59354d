import AttestCore
import AttestImport
import Foundation
import Testing

@Suite struct ChecklistBuilderTests {
    let t1 = Timestamp.parseInstant("2026-01-01T00:00:00Z")!
    let t2 = Timestamp.parseInstant("2026-03-01T00:00:00Z")!
    let t3 = Timestamp.parseInstant("2026-05-01T00:00:00Z")!

    func matrix(_ name: String) throws -> ParsedMatrix {
        try MatrixReader().read(contentsOf: Paths.fixture(name), path: name)
    }

    func nextNumber(_ items: [ChecklistItem]) -> Int { (items.map(\.number).max() ?? 0) + 1 }

    @Test func reimportKeepsIDsRetiresAndReportsChanges() throws {
        let builder = ChecklistBuilder(checklistID: "service", prefix: "SVC")
        let first = builder.build(from: try matrix("reimport-v1.md"), previous: [], at: t1)
        #expect(first.items.map(\.id) == ["SVC-01", "SVC-02", "SVC-03", "SVC-04"])
        #expect(first.changes.added.count == 4)

        let second = builder.build(from: try matrix("reimport-v2.md"), previous: [first.items], at: t2)
        let byID = Dictionary(uniqueKeysWithValues: second.items.map { ($0.id, $0) })
        #expect(second.changes.added == ["SVC-05"])
        #expect(second.changes.removed == ["SVC-04"])
        #expect(second.changes.changed == ["SVC-01", "SVC-03"], "SVC-01's wording changed, SVC-03's letters")
        #expect(second.changes.lettersChanged == ["SVC-03"])
        #expect(byID["SVC-01"]?.task == "Configuring dns" && byID["SVC-01"]?.lettersChangedAt == t1)
        #expect(byID["SVC-03"]?.lettersChangedAt == t2 && byID["SVC-03"]?.customerLetters == "RA")
        #expect(byID["SVC-04"]?.retired == true)
        #expect(byID["SVC-05"]?.reviewInterval == Interval(1, .month))
        #expect(nextNumber(second.items) == 6)

        // The retired row comes back with its old number; the next new row gets a fresh one.
        let third = builder.build(from: try matrix("reimport-v1.md"), previous: [second.items], at: t3)
        let again = Dictionary(uniqueKeysWithValues: third.items.map { ($0.id, $0) })
        #expect(again["SVC-04"]?.retired == false && third.changes.added == ["SVC-04"])
        #expect(again["SVC-05"]?.retired == true)
        #expect(nextNumber(third.items) == 6)
    }

    @Test func prefixesFollowTheChecklistID() {
        #expect(Checklist.defaultPrefix(forChecklistID: "adobe-commerce-cloud-service") == "ACCS")
        #expect(Checklist.defaultPrefix(forChecklistID: "mesh") == "MESH")
        #expect(Checklist.itemID(prefix: "ACCS", number: 7) == "ACCS-07")
        #expect(Checklist.itemID(prefix: "ACCS", number: 123) == "ACCS-123")
    }
}
