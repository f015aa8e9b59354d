import AttestCore
import Foundation
import Testing

/// attest writes records with its own writer and reads the common ones (import records included) with its own
/// reader: both are held to what JSONEncoder writes and JSONDecoder reads, on every type and awkward value.
@Suite struct RecordWriterTests {
    static let awkward = "quote \" backslash \\ slash / tab \t nl \n cr \r bs \u{8} ff \u{c} nul \u{0} esc \u{1b} del \u{7f} é e\u{301} 😀 \u{2028}"
    static let at = Timestamp.parse("2026-03-04T05:06:07.089Z")!.asOf

    static func record(_ body: Record.Body, item: String? = "T-01") -> Record {
        Record(id: "x-\(body.type.rawValue)", checklist: "demo", item: item, recordedAt: at, by: awkward, body: body)
    }

    static var records: [Record] {
        let item = ChecklistItem(id: "T-01", number: 1, section: awkward, task: "Rotate / keys", key: "k", responsibility:
                                    ["Customer": "RA", "Adobe": "C", "e\u{301}quipe": "I", "\u{c9}quipe": "", "zulu": "", "Zeta 10": "R", "Zeta 2": ""],
                                 customerLetters: "RA", kind: .obligation, reviewInterval: Interval(3, .month), notes: [awkward, ""],
                                 retired: false, lettersChangedAt: at, sourceLine: 12, singleColumn: true, inherits: "uuid-1")
        let bare = ChecklistItem(id: "T-02", number: 2, section: "", task: "t", key: "", responsibility: [:], customerLetters: "",
                                 kind: .inherited, reviewInterval: nil, notes: [], retired: true, lettersChangedAt: at, sourceLine: nil)
        let source = SourceMatrix(file: "source/sha256/" + String(repeating: "a", count: 64), importedFrom: "m.md", sha256: String(repeating: "a", count: 64),
                                  version: "v1", url: "https://example.com/a/b")
        return [
            record(.evidence(Evidence(note: awkward, links: ["https://example.com/a?b=1&c=<d>"],
                                      attachments: [Attachment(name: awkward, size: 0, mediaType: "text/plain", sha256: "b"),
                                                    Attachment(name: "r.pdf", size: 48_213, mediaType: "text/plain", sha256: "c", extensionMediaType: "application/pdf")],
                                      references: [ExternalReference(url: "s3://x/y", sha256: "d")], effective: at, validUntil: at))),
            record(.evidence(Evidence(note: nil, links: [], attachments: [], references: [], effective: at, validUntil: nil))),
            record(.revocation(Revocation(target: "ev-1", reason: awkward))),
            record(.waiver(Waiver(reason: "r", approvedBy: awkward, until: at))),
            record(.notApplicable(NotApplicable(reason: "", approvedBy: "ciso"))),
            record(.review(Review(target: "ev-1", decision: .reject, comment: awkward))),
            record(.review(Review(target: "ev-1", decision: .accept, comment: nil))),
            record(.approval(Approval(target: "wv-1", sha256: "e"))),
            record(.settings(ChecklistSettings()), item: nil),
            record(.settings(ChecklistSettings(reviewRequired: true, defaultReviewInterval: Interval(1, .year), dueSoonWindow: Interval(6, .week),
                                               signaturesRequired: true)), item: nil),
            record(.import(ImportRecord(source: source, customerParty: "Customer", provider: awkward, parties: ["Customer", "Adobe"], prefix: "T",
                                        added: ["T-01"], removed: [], changed: ["T-02"], items: [item, bare], title: awkward,
                                        follows: ["im-1", "im-2"], readerVersion: 2,
                                        options: ImportOptions(party: "Customer", provider: nil, taskColumn: "Task"))), item: nil),
            record(.import(ImportRecord(source: SourceMatrix(file: "source/x.md", importedFrom: "x.md", sha256: "f", version: nil),
                                        customerParty: "C", provider: nil, parties: [], prefix: "T", added: [], removed: [], changed: [],
                                        items: [], options: ImportOptions())), item: nil),
        ]
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        for record in Self.records {
            let expected = try JSONCoding.encode(record)
            let written = RecordWriter.encode(record)
            #expect(written == expected, "\(record.type): \(String(decoding: written, as: UTF8.self))\n---\n\(String(decoding: expected, as: UTF8.self))")
        }
    }

    @Test func readsWhatJSONDecoderReads() throws {
        for record in Self.records {
            let data = RecordWriter.encode(record)
            let decoded = try JSONCoding.decode(Record.self, from: data, path: "r.json")
            #expect(decoded == record)
            if record.type != .settings {
                #expect(FastRecordReader.read(data) == decoded, "\(record.type) read directly")
            }
        }
    }

    /// The awkward import record with `count` numbered copies of its first item, each then given to `change`.
    static func largeImport(_ count: Int, _ change: (inout ChecklistItem, Int) -> Void = { _, _ in }) throws -> Record {
        guard case .import(var body) = records[10].body else { throw CocoaError(.coderInvalidValue) }
        let template = body.items[0]
        body.items = (1...count).map { number in
            var item = template
            item.id = "T-\(number)"
            item.number = number
            change(&item, number)
            return item
        }
        return record(.import(body), item: nil)
    }

    /// A table large enough to be written on every core is still JSONEncoder's bytes, in order.
    @Test func writesLargeTablesInOrder() throws {
        let record = try Self.largeImport(5003) { item, number in
            item.lettersChangedAt = number % 7 == 0 ? Self.at.addingTimeInterval(Double(number)) : Self.at
        }
        #expect(RecordWriter.encode(record) == (try JSONCoding.encode(record)))
        #expect(FastRecordReader.read(RecordWriter.encode(record)) == record)
    }

    /// A large table is read on every core, each item found by a scan of strings and brackets: a doubtful
    /// item anywhere (the first, one in the middle, the last), a stray comma or bracket, or an item that
    /// ends early is still left to JSONDecoder, and every table it reads is JSONDecoder's.
    @Test func leavesDoubtfulLargeTablesToJSONDecoder() throws {
        let record = try Self.largeImport(2100) { item, number in item.task = "task \(number) with [brackets], {braces}, \\\" and \\" }
        let text = String(decoding: RecordWriter.encode(record), as: UTF8.self)
        #expect(FastRecordReader.read(Data(text.utf8)) == (try JSONCoding.decode(Record.self, from: Data(text.utf8), path: "r.json")))
        for (from, to) in [("\"number\" : 1,", "\"number\" : 1.5,"), ("\"number\" : 1500,", "\"number\" : \"1500\","),
                           ("\"number\" : 2100,", "\"number\" : 2100,,"), ("\"id\" : \"T-2000\"", "\"id\" : \"T-2000\"}, {"),
                           ("\"id\" : \"T-2099\"", "\"id\" : \"T-2099\", \"id\" : \"T-2099\""), ("task 1500 with", "task 1500 \\q with")] {
            #expect(text.contains(from), "\(from)")
            let data = Data(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(FastRecordReader.read(data) == nil, "\(to)")
        }
        let unclosed = text[..<text.range(of: "\"lettersChangedAt\"", options: .backwards)!.lowerBound]
        #expect(FastRecordReader.read(Data(unclosed.utf8)) == nil)
    }

    /// Random damage to a table large enough to be read on every core (brackets, quotes and backslashes
    /// where the scan that splits it looks): whatever the direct reader still accepts, JSONDecoder reads the same.
    @Test func largeTablesAreNeverReadMoreLeniently() throws {
        let valid = Array(RecordWriter.encode(try Self.largeImport(2100)))
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<30 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                let position = Int.random(in: (bytes.count / 4)..<(bytes.count - 16), using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(Array(#"{}[],:"\ a"#.utf8).randomElement(using: &generator)!, at: position)
                default: bytes[position] = Array(#"{}[],:"\ a"#.utf8).randomElement(using: &generator)!
                }
            }
            let data = Data(bytes)
            if let fast = FastRecordReader.read(data) {
                accepted += 1
                #expect(fast == (try? JSONCoding.decoder().decode(Record.self, from: data)), "accepted what JSONDecoder reads otherwise")
            }
        }
        #expect(accepted < 30, "most damage makes the table unreadable here")
    }

    /// What JSONDecoder would refuse, or read otherwise, the direct reader leaves to it.
    @Test func leavesDoubtfulImportRecordsToJSONDecoder() throws {
        let text = String(decoding: RecordWriter.encode(Self.records[10]), as: UTF8.self)
        for (from, to) in [("\"number\" : 1", "\"number\" : 1.5"), ("\"kind\" : \"obligation\"", "\"kind\" : \"duty\""),
                           ("\"reviewInterval\" : \"3m\"", "\"reviewInterval\" : \"03m\""), ("\"retired\" : false", "\"retired\" : null"),
                           ("\"Adobe\" : \"C\"", "\"Adobe\" : \"C\", \"Adobe\" : \"R\"")] {
            #expect(text.contains(from))
            let data = Data(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(FastRecordReader.read(data) == nil, "\(to)")
        }
    }
}
