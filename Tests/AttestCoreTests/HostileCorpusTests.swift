import AttestCore
import Foundation
import Testing

/// Record files an adversary could commit (`Tests/HostileCorpus/records/`), read the way the store reads a
/// record: the fast reader, then JSONCoding's JSONDecoder path. Each is either a record or an input error that
/// names what is wrong (exit 2); nothing crashes, recurses without bound or reads as something it is not.
@Suite struct HostileCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostileCorpus/records")

    /// What each file must give: an error whose message contains the text, or a record (nil).
    static let expected: [String: String?] = [
        "brackets-in-strings.json": "missing key",  // 200 `[` inside a string are not nesting
        "control-characters.json": nil,
        "deep-65-arrays.json": "nest deeper than 64 levels",
        "deep-65-objects.json": "nest deeper than 64 levels",
        "empty.json": "the file is empty",
        "invalid-utf8.json": "not valid JSON",
        "leading-zero.json": "",  // JSONDecoder reads `01` in a key it ignores; the fast reader leaves it to JSONDecoder
        "lone-surrogate.json": "",  // an error of any wording, or a record with a replacement character
        "nan.json": "not valid JSON",
        "newer-schema.json": "upgrade attest",
        "offset-before-0001.json": "outside the dates attest can record",
        "offset-past-9999.json": "outside the dates attest can record",
        "path-traversal-item.json": nil,  // reads; the item pattern refuses it before any path is built
        "raw-nul.json": "not valid JSON",
        "size-1e400.json": "",
        "size-minus-1e400.json": "",
        "truncated.json": "not valid JSON",
        "until-plus-10000.json": "not a date",
        "utf8-bom.json": "",
        "wrong-types.json": "wrong type",
        "year-0000.json": "outside the dates attest can record",
        "year-10000.json": "not a date",
    ]

    static func read(_ data: Data, _ name: String) throws -> Record {
        try FastRecordReader.read(data) ?? JSONCoding.decode(Record.self, from: data, path: "records/T-01/\(name)")
    }

    @Test func everyFileHasAnExpectation() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(names == Self.expected.keys.sorted())
    }

    @Test(arguments: expected.keys.sorted())
    func hostileRecord(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let wanted = Self.expected[name]!
        do {
            let record = try Self.read(data, name)
            #expect(wanted == nil || wanted == "", "\(name) read as a record; expected an error saying \(wanted ?? "")")
            // Whatever it holds prints on one line, with nothing a terminal would act on.
            for text in [record.by, record.id, record.item ?? "", record.summaryFields] {
                #expect(!text.visible.unicodeScalars.contains { VisibleText.isEscaped($0) })
            }
            if name == "path-traversal-item.json" { #expect(!Identifier.isItemID(record.item ?? "")) }
        } catch let error as StoreError {
            let message = error.errorDescription ?? ""
            #expect(wanted != nil, "\(name): \(message)")
            if let wanted, !wanted.isEmpty { #expect(message.contains(wanted), "\(name): \(message)") }
            #expect(message.contains("records/T-01/\(name)"), "the message names the file: \(message)")
        }
    }

    @Test func controlCharactersAreKeptExactlyAndShownEscaped() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("control-characters.json"))
        guard case .evidence(let evidence) = try Self.read(data, "control-characters.json").body else { Issue.record("not evidence"); return }
        let note = try #require(evidence.note)
        #expect(note.contains("\u{1B}[2J") && note.contains("\u{202E}") && note.contains("\u{0}"), "kept exactly in the record")
        #expect(note.visible == #"bell \u{07} esc \e[2J\e[31m nl \n2026-01-01 00:00Z  T-01  forged cr \r rlo \u{202E} ls \u{2028} del \u{7F} c1 \u{9B} nul \u{00}"#)
    }

    /// The crash of issue 8: 150,000 levels (300 KB) reached unbounded recursion in JSONDecoder.
    @Test func a150000DeepRecordIsAnErrorNamingTheLimit() throws {
        let data = Data(("{\"x\":" + String(repeating: "[", count: 150_000) + String(repeating: "]", count: 150_000) + "}").utf8)
        #expect(FastRecordReader.read(data) == nil)
        #expect(throws: StoreError.malformed(path: "deep.json", line: 1, column: 69,
                                             detail: "arrays and objects nest deeper than 64 levels, attest's limit for JSON")) {
            try JSONCoding.decode(Record.self, from: data, path: "deep.json")
        }
        // Exactly 64 levels is within the limit (and then simply not a record).
        let deepest = Data(("[" + String(repeating: "[", count: 63) + String(repeating: "]", count: 64) + "]").utf8)
        #expect(JSONCoding.nestingOverflow(deepest) == nil)
        #expect(JSONCoding.nestingOverflow(Data(("[" + deepest.map { String(UnicodeScalar($0)) }.joined() + "]").utf8)) == 64)
    }

    @Test func aRecordOverOneMebibyteIsAnErrorNamingTheLimit() throws {
        let note = String(repeating: "a", count: SafeFile.Limit.record)
        let json = #"{"schemaVersion":"1.0","type":"evidence","id":"ev-1","checklist":"demo","item":"T-01","by":"x","recordedAt":"2026-01-01","effective":"2026-01-01","note":""# + note + #""}"#
        let data = Data(json.utf8)
        #expect(FastRecordReader.read(data) == nil)
        #expect(throws: StoreError.tooLarge(path: "big.json", what: "record", size: data.count, limit: SafeFile.Limit.record)) {
            try JSONCoding.decode(Record.self, from: data, path: "big.json")
        }
        #expect(StoreError.tooLarge(path: "big.json", what: "record", size: data.count, limit: SafeFile.Limit.record)
            .errorDescription?.contains("over the limit of 1 MiB for a record") == true)
    }
}

extension Record {
    /// The free-text fields of a record, joined.
    fileprivate var summaryFields: String {
        switch body {
        case .evidence(let body): ([body.note ?? ""] + body.links + body.attachments.map(\.name)).joined(separator: " ")
        case .revocation(let body): body.reason
        case .waiver(let body): body.reason + body.approvedBy
        case .notApplicable(let body): body.reason + body.approvedBy
        case .review(let body): body.comment ?? ""
        default: ""
        }
    }
}
