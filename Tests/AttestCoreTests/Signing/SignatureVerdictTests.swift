@testable import AttestCore
import Foundation
import Testing

/// attest's verdict against `ssh-keygen -Y verify`'s on a corpus of good and bad signatures, for every key type.
@Suite(.enabled(if: SSHKeygenFixture.available, SSHKeygenFixture.skipReason))
struct SignatureVerdictTests {
    let fixture = SSHKeygenFixture.shared
    static let now = Date.utc("2026-06-01T12:00:00Z")

    struct Case: CustomStringConvertible {
        var name: String
        var signature: Data
        var bytes: Data
        var principal: String
        var namespace: String = "attest"
        var time: Date = SignatureVerdictTests.now
        /// The expected verdict: nil for valid, else the problem's kind.
        var problem: String?
        var description: String { name }
    }

    /// The allowed_signers of the corpus: `type` is the key type of alice's key.
    func allowedSigners(_ type: SSHKeygenFixture.KeyType) throws -> String {
        func line(_ principals: String, _ options: String?, _ name: String, _ keyType: SSHKeygenFixture.KeyType) throws -> String {
            let key = try fixture.publicKey(name, keyType)
            return [principals, options, key.authorizedKeyText].compactMap { $0 }.joined(separator: " ")
        }
        return try [
            "# who may sign",
            line("alice@example.com", "namespaces=\"attest,attest-report\"", "alice", type),
            "",
            line("\"*@ops.example.com,!mallory@ops.example.com\"", "namespaces=\"attest\"", "ops", .ed25519),
            line("carol@example.com", "namespaces=\"attest\",valid-before=\"20260101Z\"", "carol", .ed25519),
            line("dave@example.com", "valid-after=\"20300101000000Z\"", "dave", .ed25519),
            line("erin@example.com", "namespaces=\"att*\"", "erin", .ed25519),
        ].joined(separator: "\n") + "\n"
    }

    func corpus(_ type: SSHKeygenFixture.KeyType) throws -> [Case] {
        let record = Data(#"{"id":"ev-1","by":"alice@example.com","note":"Q3 review"}"#.utf8 + [0x0A])
        let other = Data(#"{"id":"ev-2","by":"alice@example.com","note":"Q4 review"}"#.utf8 + [0x0A])
        var tampered = record
        tampered[10] ^= 0x01
        let alice = try fixture.key("alice", type)
        let signed = try fixture.sign(record, with: alice, namespace: "attest")
        let signedOther = try fixture.sign(other, with: alice, namespace: "attest")
        let sha256 = try fixture.sign(record, with: alice, namespace: "attest", extra: ["-Ohashalg=sha256"])
        let fileNamespace = try fixture.sign(record, with: alice, namespace: "file")
        let ops = try fixture.sign(record, with: fixture.key("ops", .ed25519), namespace: "attest")
        let carol = try fixture.sign(record, with: fixture.key("carol", .ed25519), namespace: "attest")
        let dave = try fixture.sign(record, with: fixture.key("dave", .ed25519), namespace: "attest")
        let erin = try fixture.sign(record, with: fixture.key("erin", .ed25519), namespace: "attest")
        let eve = try fixture.sign(record, with: fixture.key("eve", .ed25519), namespace: "attest")
        let text = String(decoding: signed, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let truncatedBody = Data((lines.prefix(2) + lines.suffix(2)).joined(separator: "\n").utf8)
        var flippedBase64 = [UInt8](signed)
        let flipAt = flippedBase64.count - 40
        flippedBase64[flipAt] = flippedBase64[flipAt] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")

        return [
            Case(name: "valid", signature: signed, bytes: record, principal: "alice@example.com"),
            Case(name: "valid with sha256", signature: sha256, bytes: record, principal: "alice@example.com"),
            Case(name: "valid in attest-report", signature: try fixture.sign(record, with: alice, namespace: "attest-report"),
                 bytes: record, principal: "alice@example.com", namespace: "attest-report"),
            Case(name: "tampered bytes", signature: signed, bytes: tampered, principal: "alice@example.com", problem: "wrongBytes"),
            Case(name: "empty bytes", signature: signed, bytes: Data(), principal: "alice@example.com", problem: "wrongBytes"),
            Case(name: "another record's signature", signature: signedOther, bytes: record, principal: "alice@example.com", problem: "wrongBytes"),
            Case(name: "signed in namespace file", signature: fileNamespace, bytes: record, principal: "alice@example.com", problem: "wrongNamespace"),
            Case(name: "namespace not permitted", signature: try fixture.sign(record, with: alice, namespace: "git"), bytes: record,
                 principal: "alice@example.com", namespace: "git", problem: "namespaceNotAllowed"),
            Case(name: "wrong principal", signature: signed, bytes: record, principal: "bob@example.com", problem: "wrongPrincipal"),
            Case(name: "principal case differs", signature: signed, bytes: record, principal: "Alice@example.com", problem: "wrongPrincipal"),
            Case(name: "pattern matches", signature: ops, bytes: record, principal: "oncall@ops.example.com"),
            Case(name: "pattern negated", signature: ops, bytes: record, principal: "mallory@ops.example.com", problem: "wrongPrincipal"),
            Case(name: "pattern other domain", signature: ops, bytes: record, principal: "oncall@ops.example.org", problem: "wrongPrincipal"),
            Case(name: "namespace pattern", signature: erin, bytes: record, principal: "erin@example.com"),
            Case(name: "expired key", signature: carol, bytes: record, principal: "carol@example.com", problem: "expired"),
            Case(name: "before valid-before", signature: carol, bytes: record, principal: "carol@example.com", time: .utc("2025-12-31T23:59:59Z")),
            Case(name: "at valid-before", signature: carol, bytes: record, principal: "carol@example.com", time: .utc("2026-01-01T00:00:00Z")),
            Case(name: "a second after valid-before", signature: carol, bytes: record, principal: "carol@example.com",
                 time: .utc("2026-01-01T00:00:01Z"), problem: "expired"),
            Case(name: "not yet valid", signature: dave, bytes: record, principal: "dave@example.com", problem: "notYetValid"),
            Case(name: "at valid-after", signature: dave, bytes: record, principal: "dave@example.com", time: .utc("2030-01-01T00:00:00Z")),
            Case(name: "fraction of a second before valid-after", signature: dave, bytes: record, principal: "dave@example.com",
                 time: Date.utc("2030-01-01T00:00:00Z").addingTimeInterval(-0.25), problem: "notYetValid"),
            Case(name: "key not listed", signature: eve, bytes: record, principal: "alice@example.com", problem: "keyNotListed"),
            Case(name: "truncated armor", signature: signed.prefix(signed.count / 2), bytes: record, principal: "alice@example.com", problem: "malformed"),
            Case(name: "truncated base64", signature: truncatedBody, bytes: record, principal: "alice@example.com", problem: "malformed"),
            Case(name: "one base64 character changed", signature: Data(flippedBase64), bytes: record, principal: "alice@example.com", problem: "any"),
            Case(name: "empty file", signature: Data(), bytes: record, principal: "alice@example.com", problem: "malformed"),
            Case(name: "the record itself as signature", signature: record, bytes: record, principal: "alice@example.com", problem: "malformed"),
            Case(name: "CRLF armor", signature: Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), bytes: record,
                 principal: "alice@example.com", problem: "malformed"),
        ]
    }

    static func kind(_ problem: SignatureProblem) -> String {
        switch problem {
        case .malformed: "malformed"
        case .unsupported: "unsupported"
        case .wrongNamespace: "wrongNamespace"
        case .wrongBytes: "wrongBytes"
        case .keyNotListed: "keyNotListed"
        case .wrongPrincipal: "wrongPrincipal"
        case .namespaceNotAllowed: "namespaceNotAllowed"
        case .notYetValid: "notYetValid"
        case .expired: "expired"
        }
    }

    @Test("attest's verdict equals ssh-keygen -Y verify's", arguments: SSHKeygenFixture.KeyType.allCases)
    func verdictEqualsSSHKeygen(type: SSHKeygenFixture.KeyType) throws {
        let text = try allowedSigners(type)
        let signers = try AllowedSigners(parsing: Data(text.utf8))
        for item in try corpus(type) {
            let verdict = signers.verify(signature: item.signature, of: item.bytes, principal: item.principal, namespace: item.namespace, at: item.time)
            let oracle = try fixture.sshKeygenVerifies(allowedSigners: text, signature: item.signature, bytes: item.bytes,
                                                      principal: item.principal, namespace: item.namespace, at: item.time)
            #expect(verdict.isValid == oracle, "\(type) \(item.name): attest says \(verdict), ssh-keygen says \(oracle ? "valid" : "invalid")")
            switch (item.problem, verdict) {
            case (nil, .valid(let signer)):
                #expect(signer.principal == item.principal)
                #expect(signer.description.hasPrefix("\(item.principal) ("))
            case (let expected?, .invalid(let problem)):
                if expected != "any" { #expect(Self.kind(problem) == expected, "\(type) \(item.name): \(problem.reason)") }
            default:
                Issue.record("\(type) \(item.name): expected \(item.problem ?? "valid"), got \(verdict)")
            }
        }
    }

    @Test("A valid verdict names the principal, key type and fingerprint as ssh-keygen -l prints them", arguments: SSHKeygenFixture.KeyType.allCases)
    func validVerdictWording(type: SSHKeygenFixture.KeyType) throws {
        let record = Data("bytes\n".utf8)
        let path = try fixture.key("alice", type)
        let signers = try AllowedSigners(parsing: Data(try allowedSigners(type).utf8))
        let verdict = signers.verify(signature: try fixture.sign(record, with: path, namespace: "attest"), of: record,
                                     principal: "alice@example.com", namespace: "attest", at: Self.now)
        let listing = try SSHKeygenFixture.run(["-l", "-f", path + ".pub"]).stdout  // "256 SHA256:… alice (ED25519)"
        let fields = listing.split(separator: " ")
        #expect(verdict.description == "signed by alice@example.com (\(type.label) \(fields[1]))")
        #expect(listing.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("(\(type.label))"))
        #expect(try fixture.publicKey("alice", type).bits == Int(fields[0]))
    }

    @Test("Many signatures at once give the same verdicts as one at a time")
    func batchMatchesSingle() throws {
        let signers = try AllowedSigners(parsing: Data(try allowedSigners(.ed25519).utf8))
        let cases = try corpus(.ed25519)
        let checks = cases.map {
            AllowedSigners.SignatureCheck(signature: $0.signature, bytes: $0.bytes, principal: $0.principal, namespace: $0.namespace, time: $0.time)
        }
        let batch = signers.verify(checks)
        let single = cases.map { signers.verify(signature: $0.signature, of: $0.bytes, principal: $0.principal, namespace: $0.namespace, at: $0.time) }
        #expect(batch == single)
        #expect(batch.filter(\.isValid).count == cases.filter { $0.problem == nil }.count)
    }
}
