import AttestCore
import Crypto
import Foundation
import Testing

/// Verifying many Ed25519 signatures in-process. Runs only when ATTEST_SIGNATURE_BENCHMARK is set (to the
/// number of signatures); measure in a release build:
///   ATTEST_SIGNATURE_BENCHMARK=100000 swift test -c release --filter SignatureBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ATTEST_SIGNATURE_BENCHMARK"] != nil, "set ATTEST_SIGNATURE_BENCHMARK=N to run"))
struct SignatureBenchmark {
    @Test func verifyEd25519() throws {
        let count = Int(ProcessInfo.processInfo.environment["ATTEST_SIGNATURE_BENCHMARK"] ?? "") ?? 100_000
        let signers = try (0..<17).map { _ in try SoftwareSigner(.ed25519) }
        let allowed = try AllowedSigners(parsing: Data(signers.enumerated().map { index, signer in
            "admin\(index)@example.com namespaces=\"attest,attest-report\" \(signer.publicKey.authorizedKeyText)"
        }.joined(separator: "\n").utf8))
        // Records shaped like Benchmarks/generate.py's (about 600 bytes each).
        let checks = try (0..<count).map { n -> AllowedSigners.SignatureCheck in
            let record = Data("""
                {"attachments":[{"mediaType":"application/pdf","name":"report-\(n).pdf","sha256":"\(String(repeating: "ab", count: 32))","size":\(n % 4096)}],\
                "by":"admin\(n % 17)@example.com","checklist":"bench","effective":"2024-03-01","id":"ev-bench-\(n)","item":"B-\(n % 1000)",\
                "links":["https://tickets.example.com/SEC-\(n)"],"note":"Renewal \(n)","recordedAt":"2024-03-01T10:00:00.000Z",\
                "schemaVersion":"1.0","type":"evidence"}

                """.utf8)
            return AllowedSigners.SignatureCheck(signature: try signers[n % 17].sign(record), bytes: record, principal: "admin\(n % 17)@example.com",
                                                 namespace: "attest", time: Date(timeIntervalSince1970: 1_709_287_200))
        }
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // The floor: swift-crypto's Ed25519 check alone, on messages of the same size. The machine may be busy, so
        // engine and floor run in alternating blocks of 1000 and their times are summed separately.
        let rawKey = Curve25519.Signing.PrivateKey()
        let rawMessages = checks.map(\.bytes)
        let rawSignatures = try rawMessages.map { try rawKey.signature(for: $0) }
        var serial: [SignatureVerdict] = []
        var rawValid = 0
        var serialTime = 0.0, rawTime = 0.0
        for start in stride(from: 0, to: count, by: 1000) {
            let block = start..<min(start + 1000, count)
            serialTime += seconds {
                serial += checks[block].map { allowed.verify(signature: $0.signature, of: $0.bytes, principal: $0.principal, namespace: $0.namespace, at: $0.time) }
            }
            rawTime += seconds { rawValid += block.filter { rawKey.publicKey.isValidSignature(rawSignatures[$0], for: rawMessages[$0]) }.count }
        }
        var parallel: [SignatureVerdict] = []
        let parallelTime = seconds { parallel = allowed.verify(checks) }
        var parsed = 0
        let parseTime = seconds { parsed = checks.filter { (try? SSHSignature(armored: $0.signature)) != nil }.count }
        #expect(serial.allSatisfy(\.isValid) && parallel == serial && parsed == count && rawValid == count)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print(String(format: "signature benchmark: %d ed25519 signatures; serial %.2f s (%.1f µs each, of which parsing %.1f µs; "
                     + "swift-crypto's Ed25519 check alone %.1f µs); parallel on %d cores %.2f s (%.1f µs each)",
                     count, serialTime, serialTime / Double(count) * 1e6, parseTime / Double(count) * 1e6,
                     rawTime / Double(count) * 1e6, cores, parallelTime, parallelTime / Double(count) * 1e6))
    }
}
