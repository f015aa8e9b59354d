import Crypto
public import Foundation

/// An SSH public key of a kind attest can check in-process: Ed25519, ECDSA (P-256, P-384, P-521), RSA, and
/// the security-key (FIDO) kinds `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com`.
/// Built only from a parsed wire blob, so a value is always well formed; equality is OpenSSH's
/// (`sshkey_equal`): same kind and same public material, whatever the comment.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case ed25519 = "ssh-ed25519"
        case ecdsaP256 = "ecdsa-sha2-nistp256"
        case ecdsaP384 = "ecdsa-sha2-nistp384"
        case ecdsaP521 = "ecdsa-sha2-nistp521"
        case rsa = "ssh-rsa"
        case skEd25519 = "sk-ssh-ed25519@openssh.com"
        case skECDSAP256 = "sk-ecdsa-sha2-nistp256@openssh.com"

        /// The label `ssh-keygen -l` prints: ED25519, ECDSA, RSA, ED25519-SK, ECDSA-SK.
        public var label: String {
            switch self {
            case .ed25519: "ED25519"
            case .ecdsaP256, .ecdsaP384, .ecdsaP521: "ECDSA"
            case .rsa: "RSA"
            case .skEd25519: "ED25519-SK"
            case .skECDSAP256: "ECDSA-SK"
            }
        }

        /// The curve name inside an ECDSA key blob.
        var curveName: String? {
            switch self {
            case .ecdsaP256, .skECDSAP256: "nistp256"
            case .ecdsaP384: "nistp384"
            case .ecdsaP521: "nistp521"
            default: nil
            }
        }
    }

    /// Key kinds OpenSSH knows that attest cannot check (DSA, certificates, webauthn): named in errors.
    static let knownUnsupportedKinds: Set<String> = [
        "ssh-dss", "ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com",
    ]

    /// Longest key blob accepted: an RSA key of 16384 bits (OpenSSH's limit) is about 2 KiB.
    public static let maximumBlobSize = 8 * 1024
    /// RSA moduli OpenSSH accepts: 1024 to 16384 bits.
    static let rsaMinimumBits = 1024
    static let rsaMaximumBytes = 16384 / 8

    enum Material: Hashable, Sendable {
        case ed25519(publicKey: [UInt8])
        case ecdsa(point: [UInt8])
        case rsa(exponent: [UInt8], modulus: [UInt8])
        case skEd25519(publicKey: [UInt8], application: [UInt8])
        case skECDSA(point: [UInt8], application: [UInt8])
    }

    public let kind: Kind
    let material: Material
    /// The canonical wire encoding (what fingerprints hash and what `allowed_signers` lines hold).
    let blob: [UInt8]

    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    /// Parses the wire blob (the base64 part of an `authorized_keys` line, or the key inside an SSHSIG).
    public init(wireRepresentation: Data) throws {
        try self.init(blob: [UInt8](wireRepresentation))
    }

    init(blob input: [UInt8]) throws {
        guard input.count <= Self.maximumBlobSize else {
            throw SSHKeyError.malformed("the key is longer than \(Self.maximumBlobSize) bytes")
        }
        var reader = SSHWireReader(input)
        let name: String
        do {
            name = String(decoding: try reader.readCString(), as: UTF8.self)
        } catch {
            throw SSHKeyError.malformed("the key data is truncated")
        }
        guard let kind = Kind(rawValue: name) else {
            throw SSHKeyError.unsupportedKind(name)
        }
        do {
            var writer = SSHWireWriter()
            writer.writeString(kind.rawValue)
            switch kind {
            case .ed25519, .skEd25519:
                let key = try reader.readString()
                guard key.count == 32 else { throw SSHKeyError.malformed("an Ed25519 key has 32 bytes, not \(key.count)") }
                _ = try Curve25519.Signing.PublicKey(rawRepresentation: key)
                writer.writeString(key)
                if kind == .skEd25519 {
                    let application = try reader.readCString()
                    writer.writeString(application)
                    material = .skEd25519(publicKey: key, application: application)
                } else {
                    material = .ed25519(publicKey: key)
                }
            case .ecdsaP256, .ecdsaP384, .ecdsaP521, .skECDSAP256:
                let curve = String(decoding: try reader.readCString(), as: UTF8.self)
                guard curve == kind.curveName else {
                    throw SSHKeyError.malformed("a \(kind.rawValue) key names the curve \"\(curve)\"")
                }
                let point = try reader.readString()
                guard point.first == 0x04 else { throw SSHKeyError.malformed("the ECDSA point is not in uncompressed form") }
                do {
                    switch kind {
                    case .ecdsaP384: _ = try P384.Signing.PublicKey(x963Representation: point)
                    case .ecdsaP521: _ = try P521.Signing.PublicKey(x963Representation: point)
                    default: _ = try P256.Signing.PublicKey(x963Representation: point)
                    }
                } catch {
                    throw SSHKeyError.malformed("the ECDSA point is not on the curve \(curve)")
                }
                writer.writeString(curve)
                writer.writeString(point)
                if kind == .skECDSAP256 {
                    let application = try reader.readCString()
                    writer.writeString(application)
                    material = .skECDSA(point: point, application: application)
                } else {
                    material = .ecdsa(point: point)
                }
            case .rsa:
                let exponent = try reader.readPositiveMPInt(maxBytes: Self.rsaMaximumBytes)
                let modulus = try reader.readPositiveMPInt(maxBytes: Self.rsaMaximumBytes)
                let bits = Self.bitCount(modulus)
                guard bits >= Self.rsaMinimumBits else {
                    throw SSHKeyError.malformed("the RSA key has \(bits) bits; OpenSSH requires at least \(Self.rsaMinimumBits)")
                }
                guard !exponent.isEmpty else { throw SSHKeyError.malformed("the RSA exponent is zero") }
                writer.writeMPInt(exponent)
                writer.writeMPInt(modulus)
                material = .rsa(exponent: exponent, modulus: modulus)
            }
            guard reader.isAtEnd else { throw SSHKeyError.malformed("the key has trailing data") }
            self.kind = kind
            self.blob = writer.bytes
        } catch is SSHWireReader.Truncated {
            throw SSHKeyError.malformed("the \(kind.rawValue) key data is truncated")
        } catch SSHWireError.embeddedNUL {
            throw SSHKeyError.malformed("the key holds a NUL byte in a text field")
        } catch let error as SSHWireError {
            throw SSHKeyError.malformed("the key holds an invalid integer (\(error))")
        }
    }

    /// Parses an `authorized_keys`-style text: `TYPE BASE64 [COMMENT]`. The type word must name the blob's kind.
    public init(authorizedKey text: String) throws {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard fields.count >= 2 else {
            throw SSHKeyError.malformed("expected \"TYPE BASE64 [COMMENT]\", as in a .pub file")
        }
        try self.init(type: String(fields[0]), base64: String(fields[1]))
    }

    /// A key from its type word and base64 blob (the two fields of an `allowed_signers` or `.pub` line).
    init(type: String, base64: String) throws {
        guard Kind(rawValue: type) != nil else { throw SSHKeyError.unsupportedKind(type) }
        guard base64.utf8.count <= Self.maximumBlobSize * 2, let data = Data(base64Encoded: base64) else {
            throw SSHKeyError.malformed("the key's base64 does not decode")
        }
        try self.init(wireRepresentation: data)
        guard kind.rawValue == type else {
            throw SSHKeyError.malformed("the line says \(type) but the key data is \(kind.rawValue)")
        }
    }

    /// The canonical wire encoding.
    public var wireRepresentation: Data { Data(blob) }

    /// `TYPE BASE64`, as in a `.pub` file without its comment.
    public var authorizedKeyText: String { "\(kind.rawValue) \(Data(blob).base64EncodedString())" }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        var encoded = Data(SHA256.hash(data: blob)).base64EncodedString()
        while encoded.hasSuffix("=") { encoded.removeLast() }
        return "SHA256:" + encoded
    }

    /// The key size `ssh-keygen -l` prints.
    public var bits: Int {
        switch material {
        case .ed25519, .skEd25519: 256
        case .ecdsa, .skECDSA:
            switch kind {
            case .ecdsaP384: 384
            case .ecdsaP521: 521
            default: 256
            }
        case .rsa(_, let modulus): Self.bitCount(modulus)
        }
    }

    /// `ED25519 SHA256:…`
    public var description: String { "\(kind.label) \(fingerprint)" }

    static func bitCount(_ magnitude: [UInt8]) -> Int {
        guard let first = magnitude.first else { return 0 }
        return (magnitude.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }
}

/// A public key that does not parse, or is of a kind attest cannot check.
public enum SSHKeyError: Error, Sendable, Equatable, LocalizedError {
    case malformed(String)
    case unsupportedKind(String)

    public var errorDescription: String? {
        switch self {
        case .malformed(let detail): "not a valid SSH public key: \(detail)"
        case .unsupportedKind(let kind):
            if SSHPublicKey.knownUnsupportedKinds.contains(kind) || kind.hasPrefix("webauthn-") {
                "the key type \(kind) is not supported; use ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa, sk-ssh-ed25519@openssh.com or sk-ecdsa-sha2-nistp256@openssh.com"
            } else {
                "\"\(kind.prefix(60))\" is not an SSH key type"
            }
        }
    }
}
