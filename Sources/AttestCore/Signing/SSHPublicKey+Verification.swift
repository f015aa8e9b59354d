import Crypto
import Foundation
import _CryptoExtras

/// Checking a raw SSH signature blob (`string algorithm, string signature[, byte flags, uint32 counter]`) over
/// a message, as OpenSSH's `sshkey_verify` does for each key kind.
extension SSHPublicKey {
    enum RawVerification: Equatable {
        /// `securityKey` holds the flags and counter of an `sk-` signature.
        case valid(securityKey: SecurityKeyDetails?)
        /// Well formed, but not a signature of this message by this key.
        case invalid
        case malformed(String)
    }

    /// What a FIDO authenticator reported with an `sk-` signature.
    public struct SecurityKeyDetails: Hashable, Sendable {
        public var flags: UInt8
        public var counter: UInt32
        /// Bit 0: the user touched the key. `ssh-keygen -Y verify` (OpenSSH 9.2) does not require it.
        public var userPresent: Bool { flags & 0x01 != 0 }
        /// Bit 2: the authenticator verified the user (PIN or biometrics).
        public var userVerified: Bool { flags & 0x04 != 0 }
    }

    /// The algorithm word at the start of a signature blob.
    static func signatureAlgorithm(of blob: [UInt8]) -> String? {
        var reader = SSHWireReader(blob)
        guard let name = try? reader.readCString() else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    func verify(signatureBlob: [UInt8], message: [UInt8]) -> RawVerification {
        var reader = SSHWireReader(signatureBlob)
        do {
            let algorithm = String(decoding: try reader.readCString(), as: UTF8.self)
            let signature = try reader.readString()
            switch material {
            case .ed25519(let publicKey):
                guard algorithm == kind.rawValue else { return .malformed("a \(kind.rawValue) key with a \(algorithm) signature") }
                guard reader.isAtEnd else { return .malformed("the signature has trailing data") }
                guard signature.count <= 64 else { return .malformed("an Ed25519 signature longer than 64 bytes") }
                return Self.ed25519(publicKey, signature, message) ? .valid(securityKey: nil) : .invalid

            case .skEd25519(let publicKey, let application):
                guard algorithm == kind.rawValue else { return .malformed("a \(kind.rawValue) key with a \(algorithm) signature") }
                let details = SecurityKeyDetails(flags: try reader.readByte(), counter: try reader.readUInt32())
                guard reader.isAtEnd else { return .malformed("the signature has trailing data") }
                guard signature.count <= 64 else { return .malformed("an Ed25519 signature longer than 64 bytes") }
                let signed = Self.securityKeyMessage(application: application, details: details, message: message)
                return Self.ed25519(publicKey, signature, signed) ? .valid(securityKey: details) : .invalid

            case .ecdsa(let point):
                guard algorithm == kind.rawValue else { return .malformed("a \(kind.rawValue) key with a \(algorithm) signature") }
                guard reader.isAtEnd else { return .malformed("the signature has trailing data") }
                return try ecdsa(point, signature, message) ? .valid(securityKey: nil) : .invalid

            case .skECDSA(let point, let application):
                if algorithm.hasPrefix("webauthn-") {
                    return .malformed("webauthn security-key signatures are not supported")
                }
                guard algorithm == kind.rawValue else { return .malformed("a \(kind.rawValue) key with a \(algorithm) signature") }
                let details = SecurityKeyDetails(flags: try reader.readByte(), counter: try reader.readUInt32())
                guard reader.isAtEnd else { return .malformed("the signature has trailing data") }
                let signed = Self.securityKeyMessage(application: application, details: details, message: message)
                return try ecdsa(point, signature, signed) ? .valid(securityKey: details) : .invalid

            case .rsa(let exponent, let modulus):
                guard reader.isAtEnd else { return .malformed("the signature has trailing data") }
                return try Self.rsa(exponent: exponent, modulus: modulus, algorithm: algorithm, signature: signature, message: message)
                    ? .valid(securityKey: nil) : .invalid
            }
        } catch let error as SSHKeyError {
            return .malformed(error.errorDescription ?? "\(error)")
        } catch {
            return .malformed("the signature data is truncated or garbled")
        }
    }

    private static func ed25519(_ publicKey: [UInt8], _ signature: [UInt8], _ message: [UInt8]) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// What a FIDO authenticator signs: SHA-256(application) ‖ flags ‖ counter ‖ SHA-256(message).
    private static func securityKeyMessage(application: [UInt8], details: SecurityKeyDetails, message: [UInt8]) -> [UInt8] {
        var signed = [UInt8](SHA256.hash(data: application))
        signed.append(details.flags)
        signed.append(contentsOf: [UInt8(details.counter >> 24), UInt8(details.counter >> 16 & 0xFF),
                                   UInt8(details.counter >> 8 & 0xFF), UInt8(details.counter & 0xFF)])
        signed.append(contentsOf: SHA256.hash(data: message))
        return signed
    }

    /// ECDSA signatures are `mpint r, mpint s`; swift-crypto wants both as fixed-width big-endian numbers.
    private func ecdsa(_ point: [UInt8], _ signature: [UInt8], _ message: [UInt8]) throws -> Bool {
        var inner = SSHWireReader(signature)
        let width: Int
        switch kind {
        case .ecdsaP384: width = 48
        case .ecdsaP521: width = 66
        default: width = 32
        }
        let r = try inner.readPositiveMPInt(maxBytes: 1024)
        let s = try inner.readPositiveMPInt(maxBytes: 1024)
        guard inner.isAtEnd else { throw SSHKeyError.malformed("the ECDSA signature has trailing data") }
        // Zero or wider than the group order: never a valid signature.
        guard !r.isEmpty, !s.isEmpty, r.count <= width, s.count <= width else { return false }
        let raw = [UInt8](repeating: 0, count: width - r.count) + r + [UInt8](repeating: 0, count: width - s.count) + s
        switch kind {
        case .ecdsaP384:
            guard let key = try? P384.Signing.PublicKey(x963Representation: point),
                  let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: message)
        case .ecdsaP521:
            guard let key = try? P521.Signing.PublicKey(x963Representation: point),
                  let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: message)
        default:
            guard let key = try? P256.Signing.PublicKey(x963Representation: point),
                  let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: message)
        }
    }

    /// RSA PKCS#1 v1.5 with SHA-256 (`rsa-sha2-256`) or SHA-512 (`rsa-sha2-512`). A signature shorter than
    /// the modulus is left-padded with zeros and a longer one refused, as OpenSSH's `ssh_rsa_verify` does.
    private static func rsa(exponent: [UInt8], modulus: [UInt8], algorithm: String, signature: [UInt8], message: [UInt8]) throws -> Bool {
        guard signature.count <= modulus.count else { return false }
        let padded = [UInt8](repeating: 0, count: modulus.count - signature.count) + signature
        let key: _RSA.Signing.PublicKey
        do {
            if bitCount(modulus) >= 2048 {
                key = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            } else {
                key = try _RSA.Signing.PublicKey(unsafeDERRepresentation: DER.rsaSubjectPublicKeyInfo(modulus: modulus, exponent: exponent))
            }
        } catch {
            throw SSHKeyError.malformed("the RSA key is not usable (\(error))")
        }
        let parsed = _RSA.Signing.RSASignature(rawRepresentation: padded)
        switch algorithm {
        case "rsa-sha2-256":
            return key.isValidSignature(parsed, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        case "rsa-sha2-512":
            return key.isValidSignature(parsed, for: SHA512.hash(data: message), padding: .insecurePKCS1v1_5)
        default:
            throw SSHKeyError.malformed("the RSA signature algorithm \(algorithm) is not accepted (use rsa-sha2-256 or rsa-sha2-512)")
        }
    }
}

/// Just enough DER to hand an RSA key of 1024 to 2047 bits (which OpenSSH accepts) to swift-crypto.
enum DER {
    static func rsaSubjectPublicKeyInfo(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        let rsaPublicKey = sequence(integer(modulus) + integer(exponent))
        let algorithm = sequence([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00])
        return sequence(algorithm + element(0x03, [0x00] + rsaPublicKey))
    }

    private static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        let body = magnitude.isEmpty ? [0] : (magnitude[0] & 0x80 != 0 ? [0] + magnitude : magnitude)
        return element(0x02, body)
    }

    private static func sequence(_ body: [UInt8]) -> [UInt8] { element(0x30, body) }

    private static func element(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if body.count < 0x80 {
            length = [UInt8(body.count)]
        } else {
            var count = body.count
            length = []
            while count > 0 {
                length.insert(UInt8(count & 0xFF), at: 0)
                count >>= 8
            }
            length.insert(0x80 | UInt8(length.count), at: 0)
        }
        return [tag] + length + body
    }
}
