import AttestFuzzing
import Foundation
import Testing

/// Replays every file of `Tests/FuzzCorpus/<target>/` (the seeds, and every input a fuzzer found that once
/// crashed or broke an invariant) through the same entry function the libFuzzer executable in `Fuzz/` calls.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static func files(_ target: FuzzTarget) -> [URL] {
        let folder = corpus.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func replaysCorpus(_ target: FuzzTarget) throws {
        let files = Self.files(target)
        #expect(!files.isEmpty, "no seed corpus in Tests/FuzzCorpus/\(target.rawValue)/")
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(throws: Never.self, "\(target.rawValue)/\(file.lastPathComponent)") { try target.check(data) }
        }
    }

    /// Each target has its executable in Fuzz/Package.swift, so that a new case is not forgotten there.
    @Test func everyTargetHasAnExecutable() throws {
        let manifest = try String(contentsOf: Self.corpus.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Package.swift"), encoding: .utf8)
        for target in FuzzTarget.allCases {
            #expect(manifest.contains("\"\(target.executableName)\""), "Fuzz/Package.swift lacks \(target.executableName)")
        }
    }
}
