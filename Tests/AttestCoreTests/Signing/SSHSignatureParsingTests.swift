@testable import AttestCore
import Foundation
import Testing

/// Truncated, mutated and foreign input is an error or an invalid verdict, never a crash.
@Suite struct SSHSignatureParsingTests {
    /// A signature by an Ed25519 key, made by ssh-keygen 9.2 (`ssh-keygen -Y sign -n attest`) over "hi\n".
    static let sampleSignature = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgBy9n6+0UzhQpA0siljh1LaVh0B
        tuTSjk9Z38wZtmqkIAAAAGYXR0ZXN0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1
        NTE5AAAAQE3y8WmqHx9aa5hxg5irqLbZ6MxGQRLWdKowAV4X1l3gY3roNw80E1x1epUPhE
        Td1XfxuzIRsmyGdN8Akyc1WgA=
        -----END SSH SIGNATURE-----

        """

    static let allowed = "alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcvZ+vtFM4UKQNLIpY4dS2lYdAbbk0o5PWd/MGbZqpC\n"

    @Test func everyPrefixOfTheWireFormThrows() throws {
        let wire = try SSHSignature.dearmor(Array(Self.sampleSignature.utf8))
        let parsed = try SSHSignature(wireRepresentation: wire)
        #expect(parsed.namespace == "attest" && parsed.hashAlgorithm == .sha512 && parsed.version == 1)
        #expect(parsed.publicKey.kind == .ed25519 && parsed.signatureAlgorithm == "ssh-ed25519")
        for length in 0..<wire.count {
            #expect(throws: SSHSignatureError.self) { try SSHSignature(wireRepresentation: wire.prefix(length)) }
        }
        #expect(throws: SSHSignatureError.self) { try SSHSignature(wireRepresentation: wire + Data([0])) }
    }

    @Test func everyByteFlipGivesAVerdictWithoutCrashing() throws {
        let signers = try AllowedSigners(parsing: Data(Self.allowed.utf8))
        let wire = [UInt8](try SSHSignature.dearmor(Array(Self.sampleSignature.utf8)))
        let message = Data("hi\n".utf8)
        var valid: [String] = []
        for index in wire.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var mutated = wire
                mutated[index] ^= mask
                guard let parsed = try? SSHSignature(wireRepresentation: Data(mutated)) else { continue }
                if signers.verify(parsed, of: message, principal: "alice@example.com", namespace: "attest", at: Date()).isValid { valid.append("\(index):\(mask)") }
            }
        }
        // The version is not signed and OpenSSH reads version 0 as well as 1 (checked with ssh-keygen 9.2): the one
        // mutation that still verifies is version 1 → 0.
        #expect(valid == ["9:1"])
        let original = try SSHSignature(wireRepresentation: Data(wire))
        #expect(signers.verify(original, of: message, principal: "alice@example.com", namespace: "attest", at: Date()).isValid)
    }

    @Test func armorIsRequiredExactly() {
        let text = Self.sampleSignature
        for bad in [text.replacingOccurrences(of: "-----BEGIN SSH SIGNATURE-----\n", with: "-----BEGIN SSH SIGNATURE-----\r\n"),
                    text.replacingOccurrences(of: "\n-----END SSH SIGNATURE-----", with: ""),
                    " " + text, text.replacingOccurrences(of: "U1NI", with: "U1N*"), "", "-----BEGIN SSH SIGNATURE-----\n"] {
            #expect(throws: SSHSignatureError.self) { try SSHSignature(armored: Data(bad.utf8)) }
        }
        #expect(throws: SSHSignatureError.self) { try SSHSignature(armored: Data(count: SSHSignature.maximumArmoredSize + 1)) }
    }

    @Test func garbageAllowedSignersNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" \t\n\"=,!*?#abcdefnamespacesvalid-aftervalid-before20260101Zssh-ed25519AAAA/+".utf8)
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<200, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? AllowedSigners(parsing: Data(bytes))
        }
        let seed = Array(Self.allowed.utf8)
        for index in seed.indices {
            var mutated = seed
            mutated[index] = alphabet.randomElement(using: &generator)!
            _ = try? AllowedSigners(parsing: Data(mutated))
        }
    }
}
