import AttestCore
import AttestTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The record cache in `.attest/`: what it gives is exactly what reading the files gives, and anything that
/// changed a file, or damaged or forged the cache, is read from the files again.
@Suite struct RecordCacheTests {
    /// A workspace with a record of every cached type (and their awkward fields), older than the two seconds
    /// in which a file is not trusted to its stat.
    static func workspace(in directory: TemporaryDirectory) throws -> ChecklistStore {
        let ledger = try StoreTests.workspace(in: directory)
        let store = ledger.store
        let at = Timestamp.parse("2026-02-01")!.asOf
        func record(_ id: String, _ item: String, _ body: Record.Body, by: String = "alice@example.com") -> Record {
            Record(id: id, checklist: "demo", item: item, recordedAt: at, by: by, body: body)
        }
        let evidence = Evidence(note: "Ünïcode 😀 \"quoted\"\nline", links: ["https://example.com/a?b=1", "https://example.com/c"],
                                attachments: [Attachment(name: "report.pdf", size: 12, mediaType: "application/pdf", sha256: String(repeating: "a", count: 64),
                                                         extensionMediaType: "text/plain")],
                                references: [ExternalReference(url: "s3://bucket/dump.tar", sha256: String(repeating: "b", count: 64))],
                                effective: at, validUntil: Timestamp.parse("2026-06-01")!.endExclusive)
        let records = [
            record("ev-one", "T-01", .evidence(evidence)),
            record("ev-two", "T-01", .evidence(Evidence(note: nil, links: [], attachments: [], references: [], effective: at, validUntil: nil))),
            record("rv-one", "T-01", .revocation(Revocation(target: "ev-two", reason: "wrong file"))),
            record("wv-one", "T-02", .waiver(Waiver(reason: "migration", approvedBy: "ciso@example.com", until: Timestamp.parse("2026-12-31")!.endExclusive))),
            record("na-one", "T-02", .notApplicable(NotApplicable(reason: "no apps", approvedBy: "cto@example.com"))),
            record("rw-one", "T-01", .review(Review(target: "ev-one", decision: .reject, comment: "blurry")), by: "bob@example.com"),
            record("rw-two", "T-01", .review(Review(target: "ev-one", decision: .accept, comment: nil)), by: "bob@example.com"),
            record("ap-one", "T-02", .approval(Approval(target: "wv-one", sha256: String(repeating: "c", count: 64))), by: "ciso@example.com"),
        ]
        for record in records { try store.write(record) }
        try settle()
        return store
    }

    /// Waits until files written now are past the window in which their stat is not trusted.
    static func settle() throws { Thread.sleep(forTimeInterval: 2.2) }

    static func cacheURL(_ store: ChecklistStore) -> URL {
        store.workspace.cacheDirectory.appendingPathComponent("records-demo.cache")
    }

    @Test func cachedRecordsAreTheRecordsTheFilesHold() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.workspace(in: directory)
        let fresh = store.loadRecords(cached: false)
        #expect(fresh.errors.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: Self.cacheURL(store).path), "verify's way of reading writes no cache")
        let first = store.loadRecords(cached: true)
        let cache = try RecordCache(data: Data(contentsOf: Self.cacheURL(store)), allowedSignersSHA256: "")
        // Every item record is cached; import and settings records never are.
        let itemRecords = fresh.records.filter { $0.record.item != nil }
        #expect(cache.decodedEntries().compactMap { $0?.record } == itemRecords.map(\.record))
        let warm = store.loadRecords(cached: true)
        #expect(first.records == fresh.records)
        #expect(warm.records == fresh.records)
        #expect(warm.records.map(\.sha256) == fresh.records.map(\.sha256))
    }

    @Test func aFileChangedInPlaceIsReadAgain() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.workspace(in: directory)
        _ = store.loadRecords(cached: true)
        // Same size, same modification time: only the change time (and the bytes) tell.
        let path = store.directory.appendingPathComponent("records/T-02/wv-one.json").path
        var info = stat()
        #expect(lstat(path, &info) == 0)
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let edited = original.replacingOccurrences(of: "migration", with: "mIGRATION")
        #expect(edited.utf8.count == original.utf8.count && edited != original)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let warm = store.loadRecords(cached: true)
        let waiver = try #require(warm.records.first { $0.record.id == "wv-one" })
        guard case .waiver(let body) = waiver.record.body else { Issue.record("not a waiver"); return }
        #expect(body.reason == "mIGRATION")
        #expect(warm.records == store.loadRecords(cached: false).records)
    }

    @Test func aFileAddedOrRemovedIsSeen() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.workspace(in: directory)
        _ = store.loadRecords(cached: true)
        try FileManager.default.removeItem(at: store.directory.appendingPathComponent("records/T-01/rv-one.json"))
        try directory.write("Checklists/demo/records/T-02/ci-42.json", """
            {"schemaVersion": "1.0", "type": "evidence", "id": "ci-42", "checklist": "demo", "item": "T-02",
             "recordedAt": "2026-02-01T10:00:00Z", "by": "ci@example.com", "effective": "2026-02-01"}
            """)
        let warm = store.loadRecords(cached: true)
        #expect(!warm.records.contains { $0.record.id == "rv-one" })
        #expect(warm.records.contains { $0.record.id == "ci-42" })
        #expect(warm.records == store.loadRecords(cached: false).records)
    }

    /// A cache that is garbage, truncated, flipped anywhere, group-writable or a link reads as no cache.
    @Test func aDamagedOrForeignCacheIsNoCache() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.workspace(in: directory)
        let expected = store.loadRecords(cached: false).records
        _ = store.loadRecords(cached: true)
        let url = Self.cacheURL(store)
        let good = try Data(contentsOf: url)
        var damaged: [Data] = [Data(), Data("garbage".utf8), good.prefix(good.count / 2), good + Data([0])]
        for offset in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
            var flipped = good
            flipped[offset] ^= 0x20
            damaged.append(flipped)
        }
        for bytes in damaged {
            try bytes.write(to: url)
            #expect(store.loadRecords(cached: true).records == expected)
            try good.write(to: url)
        }
        #expect(chmod(url.path, 0o664) == 0)
        #expect(try RecordCache(data: Data(contentsOf: url), allowedSignersSHA256: "").count > 0)
        _ = store.loadRecords(cached: true)
        var info = stat()
        #expect(lstat(url.path, &info) == 0 && info.st_mode & 0o022 == 0, "a group-writable cache is replaced, not read")
    }

    /// An entry forged for a record (another reason, same key) counts only while its stat matches the file's:
    /// a cache written elsewhere (a hostile commit of `.attest/`) never does.
    @Test func aCacheFromAnotherCopyOfTheFilesIsNotUsed() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.workspace(in: directory)
        _ = store.loadRecords(cached: true)
        let cache = try Data(contentsOf: Self.cacheURL(store))
        // The same workspace copied (new inodes and change times), with the original's cache beside it.
        let copy = try TemporaryDirectory()
        try FileManager.default.removeItem(at: copy.url)
        try FileManager.default.copyItem(at: directory.url, to: copy.url)
        let copied = Workspace(root: copy.url).store(for: "demo")
        try edit(copied)
        try cache.write(to: Self.cacheURL(copied))
        let records = copied.loadRecords(cached: true).records
        let waiver = try #require(records.first { $0.record.id == "wv-one" })
        guard case .waiver(let body) = waiver.record.body else { Issue.record("not a waiver"); return }
        #expect(body.reason == "MIGRATION", "the copy's own bytes, not the cache's")
    }

    private func edit(_ store: ChecklistStore) throws {
        let path = store.directory.appendingPathComponent("records/T-02/wv-one.json")
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "migration", with: "MIGRATION")
        try Data(text.utf8).write(to: path)
    }
}
