@testable import AttestReports
import AttestCore
import Foundation
import Testing

/// The report writers stream: large parts are rendered in runs on every core and written in order as they
/// are ready. Where the runs begin and end must never show in the bytes.
@Suite struct StreamedReportTests {
    /// A document with an array of `count` objects, its elements rendered `chunk` at a time.
    static func document(count: Int, chunk: Int) -> [UInt8] {
        let output = ReportOutput()
        var json = PrettyJSON()
        json.object { json in
            json.member("before", "a \"quoted\" line\nand another")
            json.member("items", array: { json in
                json.string("leading element, written before the runs")
                json.elements(count, to: output, chunk: chunk) { index, json in
                    json.object { json in
                        json.member("index", String(index))
                        json.member("nested", array: { json in if index % 3 == 0 { json.string("x") } })
                        json.member("object", object: { _ in })
                    }
                }
            })
            json.member("z-after", "end")
        }
        output.write(json.bytes)
        return output.memory
    }

    @Test(arguments: [1, 2, 7, 256, 5000])
    func runsOfAnySizeWriteTheSameBytes(chunk: Int) throws {
        let whole = Self.document(count: 1000, chunk: 5000)
        #expect(Self.document(count: 1000, chunk: chunk) == whole)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(whole)) as? [String: Any])
        let items = try #require(parsed["items"] as? [Any])
        #expect(items.count == 1001)
        #expect((items[1000] as? [String: Any])?["index"] as? String == "999")
        #expect(parsed["before"] as? String == "a \"quoted\" line\nand another")
    }

    @Test func emptyContainersAreWrittenOnOneLine() throws {
        let output = ReportOutput()
        var json = PrettyJSON()
        json.object { json in
            json.member("empty", array: { json in json.elements(0, to: output) { _, _ in Issue.record("no element to render") } })
            json.member("none", object: { _ in })
        }
        output.write(json.bytes)
        #expect(String(decoding: output.memory, as: UTF8.self) == "{\n  \"empty\": [],\n  \"none\": {}\n}")
    }

    @Test func orderedWritesKeepTheirOrderWhateverFinishesFirst() {
        let output = ReportOutput()
        output.writeOrdered(200) { index in
            if index % 7 == 0 { usleep(200) }  // some runs finish late
            var bytes = ByteBuffer()
            bytes.append(utf8: "\(index),")
            return bytes
        }
        #expect(String(decoding: output.memory, as: UTF8.self) == (0..<200).map { "\($0)," }.joined())
    }
}
