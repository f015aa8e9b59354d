import AttestCore
import Foundation
import Testing

/// Media types come from the content's first bytes; the extension's suggestion is kept beside when it differs.
@Suite struct MediaTypeTests {
    static let cases: [(bytes: [UInt8], name: String, type: String, byExtension: String?)] = [
        (Array("%PDF-1.7\n%âãÏÓ\n".utf8), "report.pdf", "application/pdf", nil),
        (Array("just a text file\n".utf8), "report.pdf", "text/plain", "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "shot.png", "image/png", nil),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "shot.jpg", "image/png", "image/jpeg"),
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "photo.jpeg", "image/jpeg", nil),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], "policy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], "bundle.zip", "application/zip", nil),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], "notes.txt", "application/zip", "text/plain"),
        (Array("  {\"scan\": \"ok\"}".utf8), "scan.json", "application/json", nil),
        (Array("{\"scan\": \"ok\"}".utf8), "scan.txt", "application/json", "text/plain"),
        (Array("<?xml version=\"1.0\"?><a/>".utf8), "config.xml", "application/xml", nil),
        (Array("id,task\n1,x\n".utf8), "tasks.csv", "text/csv", nil),
        (Array("# Review\n".utf8), "review.md", "text/markdown", nil),
        (Array("plain words".utf8), "README", "text/plain", nil),
        ([0x00, 0x01, 0x02, 0xFE], "blob.pdf", "application/octet-stream", "application/pdf"),
        ([], "empty.txt", "text/plain", nil),
    ]

    @Test(arguments: cases.indices)
    func sniffedFromTheFirstBytes(_ index: Int) {
        let example = Self.cases[index]
        let detected = MediaType.detect(prefix: example.bytes, fileName: example.name)
        #expect(detected.mediaType == example.type, "\(example.name)")
        #expect(detected.byExtension == example.byExtension, "\(example.name)")
    }

    @Test func aCutMultibyteCharacterAtTheEndIsStillText() {
        let bytes = Array(String(repeating: "é", count: 300).utf8.prefix(MediaType.sniffLength - 1))
        #expect(MediaType.detect(prefix: bytes, fileName: "x.log").mediaType == "text/plain")
    }
}

@Suite struct WordingTests {
    @Test func pluralsAreRight() {
        #expect(Wording.count(1, "attachment") == "1 attachment")
        #expect(Wording.count(2, "attachment") == "2 attachments")
        #expect(Wording.count(0, "record") == "0 records")
    }

    /// Python: `uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")`.
    @Test func uuidVersionFiveMatchesPython() {
        #expect(UUIDv5.make("python.org", namespace: UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!)
                == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }
}
