@testable import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// The direct reader must agree with JSONDecoder on every record it accepts, and leave everything
/// unusual to JSONDecoder.
@Suite struct FastRecordReaderTests {
    static func slow(_ data: Data) -> Record? { try? JSONCoding.decoder().decode(Record.self, from: data) }

    static let hostile = "quote \" backslash \\ slash / tab \t newline \n ctrl \u{1} emoji 😀 שלום \u{2028} nul \u{0}"

    static var written: [Record] {
        let at = Timestamp.parseInstant("2026-03-04T05:06:07.089Z")!
        let bodies: [(Record.Body, String?)] = [
            (.evidence(Evidence(note: hostile, links: ["https://x.example.com/a?b=c&d=\"e\""],
                                attachments: [Attachment(name: hostile, size: 1_234_567_890_123, mediaType: "application/pdf", sha256: String(repeating: "a", count: 64))],
                                references: [ExternalReference(url: "s3://b/k", sha256: String(repeating: "b", count: 64))],
                                effective: at, validUntil: at.addingTimeInterval(86_400))), "T-01"),
            (.evidence(Evidence(note: nil, links: [], attachments: [], references: [], effective: at, validUntil: nil)), "T-01"),
            (.revocation(Revocation(target: "ev-1", reason: hostile)), "T-01"),
            (.waiver(Waiver(reason: "r", approvedBy: hostile, until: at)), "T-02"),
            (.notApplicable(NotApplicable(reason: "r", approvedBy: "a")), "T-03"),
            (.review(Review(target: "ev-1", decision: .reject, comment: hostile)), "T-01"),
            (.review(Review(target: "ev-1", decision: .accept, comment: nil)), "T-01"),
        ]
        return bodies.map { Record(id: "x-\($0.1 ?? "")", checklist: "demo", item: $0.1, recordedAt: at, by: hostile, body: $0.0) }
    }

    @Test func agreesOnEveryRecordAttestWrites() throws {
        for record in Self.written {
            let data = try JSONCoding.encode(record)
            let fast = try #require(FastRecordReader.read(data), "fast path declined \(record.type)")
            #expect(fast == record)
            #expect(fast == Self.slow(data))
        }
    }

    @Test(arguments: [
        #"{"type":"evidence","schemaVersion":"1.3","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01T10:00:00+02:00","future":{"nested":[1,2.5e3,true,null,"s"]}}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01T00:00:00Z","by":"\u00fc\ud83d\ude00\/","effective":"2026-01-01","note":null,"validUntil":null}"#,
        #" { "schemaVersion" : "1.0" , "type" : "waiver" , "id" : "w" , "checklist" : "c" , "item" : "T-01" , "recordedAt" : "2026-01-01" , "by" : "x" , "reason" : "" , "approvedBy" : "y" , "until" : "2027-01-01" } "#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01","attachments":[{"name":"n","size":0,"mediaType":"m","sha256":"s","extra":[{}]}]}"#,
    ])
    func agreesOnRecordsOtherProgramsWrite(json: String) throws {
        let data = Data(json.utf8)
        let fast = try #require(FastRecordReader.read(data))
        #expect(fast == Self.slow(data))
    }

    @Test(arguments: [
        #"{"schemaVersion":"3.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01"}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01"}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"yesterday","by":"x","effective":"2026-01-01"}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","id":"b","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01"}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01"} x"#,
        "{\"schemaVersion\":\"1.0\",\"type\":\"evidence\",\"id\":\"a\u{1}\",\"checklist\":\"c\",\"item\":\"T-01\",\"recordedAt\":\"2026-01-01\",\"by\":\"x\",\"effective\":\"2026-01-01\"}",
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01","attachments":[{"name":"n","size":1.5,"mediaType":"m","sha256":"s"}]}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01","links":null}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"x","effective":"2026-01-01",}"#,
        #"{"schemaVersion":"1.0","type":"settings","id":"a","checklist":"c","recordedAt":"2026-01-01","by":"x","reviewRequired":true,"dueSoonWindow":"30d"}"#,
        #"{"schemaVersion":"1.0","type":"evidence","id":"a","checklist":"c","item":"T-01","recordedAt":"2026-01-01","by":"\ud83d","effective":"2026-01-01"}"#,
    ])
    func leavesTheUnusualToJSONDecoder(json: String) {
        #expect(FastRecordReader.read(Data(json.utf8)) == nil)
    }

    /// Random damage to valid records: whatever the direct reader still accepts, JSONDecoder reads the same.
    @Test func neverMoreLenientThanJSONDecoder() throws {
        var generator = SystemRandomNumberGenerator()
        let samples = try Self.written.map { Array(try JSONCoding.encode($0)) }
        var accepted = 0
        for round in 0..<3000 {
            var bytes = samples[round % samples.count]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(Array(#"{}[],:"\ 0aeu"#.utf8).randomElement(using: &generator)!, at: position)
                default: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let data = Data(bytes)
            if let fast = FastRecordReader.read(data) {
                accepted += 1
                #expect(fast == Self.slow(data), "accepted what JSONDecoder reads otherwise: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 0, "some damage (inside strings) leaves a valid record")
    }
}
