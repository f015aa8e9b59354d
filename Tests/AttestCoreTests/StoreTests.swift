import AttestCore
import Foundation
import AttestTestSupport
import Testing

/// The store on disk: records, the content-addressed attachments, and what a bad file reads like.
@Suite struct StoreTests {
    /// A workspace with one checklist of two obligations, written as `import` would.
    static func workspace(in directory: TemporaryDirectory) throws -> Ledger {
        try Workspace.initialize(at: directory.url)
        let workspace = Workspace(root: directory.url)
        let store = workspace.store(for: "demo")
        let fixture = EvaluatorFixture(items: [EvaluatorFixture.item("T-01", "RA", task: "Rotate keys"),
                                               EvaluatorFixture.item("T-02", "R", task: "Review access quarterly")])
        for stored in fixture.records { try store.write(stored.record) }
        return try Ledger.load(store)
    }

    /// What a killed writer left in `.attest/tmp` goes once its status last changed long enough ago; a report's
    /// backup (a hard link made just now to an old file) stays; and a `.attest/tmp` that is a link is never
    /// cleaned, whatever it leads to (an adversary emptied a folder outside the workspace so).
    @Test func staleTemporaryFilesGoAndNothingElse() throws {
        let directory = try TemporaryDirectory(), elsewhere = try TemporaryDirectory()
        try Workspace.initialize(at: directory.url)
        let workspace = Workspace(root: directory.url)
        let temporary = try workspace.temporaryDirectoryCreated()
        try directory.write(".attest/tmp/report-1-2-x.md", "partial")
        try directory.write("Reports/x.md", "an old report")
        try elsewhere.write("precious.txt", "not attest's")
        sleep(2)
        try directory.write(".attest/tmp/report-3-4-x.md", "still being written")
        #expect(link(directory.url.appendingPathComponent("Reports/x.md").path, temporary.appendingPathComponent("old-3-4-0").path) == 0)
        workspace.removeStaleTemporaryFiles(olderThan: 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted() == ["old-3-4-0", "report-3-4-x.md"])

        try FileManager.default.removeItem(at: temporary)
        try FileManager.default.createSymbolicLink(at: temporary, withDestinationURL: elsewhere.url)
        workspace.removeStaleTemporaryFiles(olderThan: 1)
        #expect(FileManager.default.fileExists(atPath: elsewhere.url.appendingPathComponent("precious.txt").path))
        #expect(throws: (any Error).self) { try workspace.temporaryDirectoryCreated() }
        #expect(FileManager.default.fileExists(atPath: elsewhere.url.appendingPathComponent("precious.txt").path))
    }

    @Test func recordsRoundTripAndAreNeverOverwritten() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let (record, path) = try Recorder(ledger: ledger).tick(.init(item: "T-01", note: "rotated", by: "alice"))
        #expect(path == "Checklists/demo/records/T-01/\(record.id).json")
        let reloaded = try Ledger.load(ledger.store)
        #expect(reloaded.records.map(\.record).contains(record))
        #expect(throws: StoreError.self) { try ledger.store.write(record) }
        let text = try String(contentsOf: directory.url.appendingPathComponent(path), encoding: .utf8)
        #expect(text.hasSuffix("}\n") && text.contains("\n  \"by\" : \"alice\",\n"), "pretty-printed, sorted keys")
    }

    @Test func temporaryFilesAndAttachmentsAreNotRead() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        try directory.write("Checklists/demo/records/T-01/.ev-half-written.json.tmp", "{ broken")
        try directory.write("Checklists/demo/records/.hidden/x.json", "{ broken")
        try directory.write("Checklists/demo/attachments/sha256/ab/abcd", "{ not json }")
        try directory.write("Checklists/demo/records/T-01/notes.txt", "not a record")
        #expect(try Ledger.load(ledger.store).records.count == ledger.records.count)
    }

    @Test func aRecordDroppedInByAnotherProgramIsRead() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        try directory.write("Checklists/demo/records/T-02/ci-pipeline-42.json", """
            {"schemaVersion": "1.0", "type": "evidence", "id": "ci-pipeline-42", "checklist": "demo", "item": "T-02",
             "recordedAt": "2026-02-01T10:00:00+01:00", "by": "ci@example.com", "effective": "2026-02-01"}
            """)
        let reloaded = try Ledger.load(ledger.store)
        let state = try reloaded.evaluate(asOf: Timestamp.parse("2026-02-01")!.asOf)
        #expect(state.items.first { $0.item.id == "T-02" }?.status == .complete)
    }

    @Test func malformedRecordNamesFileLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        try directory.write("Checklists/demo/records/T-01/bad.json", "{\n  \"schemaVersion\": \"1.0\",\n  \"type\": evidence\n}\n")
        let error = try #require(throws: StoreError.self) { try Ledger.load(ledger.store) }
        let message = error.errorDescription ?? ""
        #expect(message.hasPrefix("Checklists/demo/records/T-01/bad.json:3:"), "\(message)")
        #expect(message.contains("not valid JSON"))
    }

    @Test func missingFieldIsNamed() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        try directory.write("Checklists/demo/records/T-01/nobody.json", """
            {"schemaVersion": "1.0", "type": "waiver", "id": "wv-x", "checklist": "demo", "item": "T-01",
             "recordedAt": "2026-02-01T10:00:00Z", "by": "a", "reason": "r", "until": "2027-01-01"}
            """)
        let error = try #require(throws: StoreError.self) { try Ledger.load(ledger.store) }
        #expect(error.errorDescription?.contains("Checklists/demo/records/T-01/nobody.json: error: missing key \"approvedBy\"") == true,
                "\(error.errorDescription ?? "")")
    }

    @Test func newerMajorSchemaSaysUpgrade() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        try directory.write("Checklists/demo/records/T-01/future.json", """
            {"schemaVersion": "3.0", "type": "hologram", "id": "x", "checklist": "demo", "recordedAt": "2030-01-01", "by": "a"}
            """)
        let error = try #require(throws: StoreError.self) { try Ledger.load(ledger.store) }
        #expect(error == .newerSchema(path: "Checklists/demo/records/T-01/future.json", version: "3.0"))
        #expect(error.errorDescription?.contains("upgrade attest") == true)
    }

    @Test func attachmentsAreStoredOnceByContentAndSymlinksByContent() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let file = try directory.write("evidence/report.pdf", "%PDF-1.7 fake")
        try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("evidence/link.pdf").path,
                                                   withDestinationPath: file.path)
        let recorder = Recorder(ledger: ledger)
        let first = try recorder.tick(.init(item: "T-01", files: [.init(path: file.path, displayName: "evidence/report.pdf")], by: "alice"))
        let second = try recorder.tick(.init(item: "T-02", files: [.init(path: directory.url.appendingPathComponent("evidence/link.pdf").path,
                                                                         displayName: "evidence/link.pdf")], by: "alice"))
        guard case .evidence(let a) = first.record.body, case .evidence(let b) = second.record.body else { Issue.record("not evidence"); return }
        #expect(a.attachments[0].sha256 == FileHasher.sha256(of: Data("%PDF-1.7 fake".utf8)))
        #expect(a.attachments[0].sha256 == b.attachments[0].sha256)
        #expect(a.attachments[0].name == "report.pdf" && a.attachments[0].mediaType == "application/pdf" && a.attachments[0].size == 13)
        let stored = ledger.store.attachments.url(for: a.attachments[0].sha256)
        let attributes = try FileManager.default.attributesOfItem(atPath: stored.path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "a symlinked attachment is copied, not linked")
        let files = try FileManager.default.subpathsOfDirectory(atPath: ledger.store.attachments.directory.path)
            .filter { !$0.hasSuffix("/") && $0.split(separator: "/").count == 3 }
        #expect(files.count == 1)
    }

    @Test func alteredAttachmentIsFoundDespiteTheStatCache() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let file = try directory.write("evidence.txt", "original")
        let (record, _) = try Recorder(ledger: ledger).tick(.init(item: "T-01", files: [.init(path: file.path, displayName: "evidence.txt")], by: "a"))
        guard case .evidence(let evidence) = record.body else { return }
        let hash = evidence.attachments[0].sha256
        let attachments = ledger.store.attachments
        #expect(attachments.check([hash]) == [hash: .intact])
        let stored = attachments.url(for: hash)
        chmod(stored.path, 0o644)
        try Data("tampered".utf8).write(to: stored)
        #expect(attachments.check([hash]) == [hash: .altered(actual: FileHasher.sha256(of: Data("tampered".utf8)))])
        try FileManager.default.removeItem(at: stored)
        #expect(attachments.verify([hash]) == [hash: .missing])
    }

    @Test func unknownItemSuggestsTheClosest() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let error = try #require(throws: StoreError.self) { try ledger.item("T-10") }
        #expect(error.errorDescription?.contains("did you mean") == true && error.errorDescription?.contains("T-01") == true)
        #expect(try ledger.item("rotate").id == "T-01")
        #expect(try ledger.item("2").id == "T-02")
        #expect(try ledger.item("t-02").id == "T-02")
    }

    @Test func invalidInputsWriteNothing() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let recorder = Recorder(ledger: ledger)
        let folder = try directory.write("folder/file.txt", "x").deletingLastPathComponent()
        #expect(throws: StoreError.self) { try recorder.tick(.init(item: "T-01", files: [.init(path: folder.path, displayName: "folder")], by: "a")) }
        #expect(throws: StoreError.self) { try recorder.tick(.init(item: "T-01", files: [.init(path: "/nonexistent", displayName: "x")], by: "a")) }
        #expect(throws: StoreError.self) { try recorder.tick(.init(item: "T-01", by: "a")) }
        #expect(throws: StoreError.self) { try recorder.tick(.init(item: "T-01", links: ["not a url"], by: "a")) }
        #expect(throws: StoreError.self) {
            try recorder.tick(.init(item: "T-01", references: [ExternalReference(url: "https://x", sha256: "abc")], by: "a"))
        }
        #expect(throws: StoreError.self) {
            try recorder.waive("T-01", reason: "r", approvedBy: "ciso", until: Timestamp.parse("2020-01-01")!, by: "a")
        }
        #expect(throws: StoreError.self) {
            try recorder.waive("T-01", reason: "r", approvedBy: " ", until: Timestamp.parse("2099-01-01")!, by: "a")
        }
        #expect(try Ledger.load(ledger.store).records.count == ledger.records.count)
        let stored = FileManager.default.enumerator(atPath: ledger.store.attachments.directory.path)?
            .compactMap { $0 as? String }.filter { !$0.hasSuffix("sha256") && $0.split(separator: "/").count == 3 } ?? []
        #expect(stored.isEmpty, "no attachment is left behind: \(stored)")
    }

    @Test func selfReviewIsRefused() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Self.workspace(in: directory)
        let (evidence, _) = try Recorder(ledger: ledger).tick(.init(item: "T-01", note: "x", by: "Alice@Example.com"))
        let reloaded = try Ledger.load(ledger.store)
        #expect(throws: StoreError.self) { try Recorder(ledger: reloaded).review(evidence.id, decision: .accept, comment: nil, by: "alice@example.com") }
        let (review, _) = try Recorder(ledger: reloaded).review(String(evidence.id.suffix(8)), decision: .accept, comment: "ok", by: "bob")
        #expect(review.item == "T-01")
    }
}
