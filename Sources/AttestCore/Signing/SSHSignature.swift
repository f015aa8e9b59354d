import Crypto
public import Foundation

/// A detached SSHSIG signature (OpenSSH `PROTOCOL.sshsig`), as `ssh-keygen -Y sign` writes it:
/// `-----BEGIN SSH SIGNATURE-----`, base64 of
/// `"SSHSIG" uint32 version, string publickey, string namespace, string reserved, string hash_algorithm,
/// string signature`, `-----END SSH SIGNATURE-----`. Parsing never traps: anything else throws.
public struct SSHSignature: Hashable, Sendable {
    public enum HashAlgorithm: String, Sendable {
        case sha256, sha512
    }

    /// Largest armored signature read: an RSA-16384 signature with its key is about 6 KiB.
    public static let maximumArmoredSize = 64 * 1024
    static let beginMarker = Array("-----BEGIN SSH SIGNATURE-----\n".utf8)
    static let endMarker = Array("\n-----END SSH SIGNATURE-----".utf8)
    static let magic = Array("SSHSIG".utf8)

    /// 1 for every signature OpenSSH writes (it also reads 0, and so does attest, to give its verdict).
    public let version: UInt32
    /// The key that made the signature (whether it may sign is `allowed_signers`' question).
    public let publicKey: SSHPublicKey
    let namespaceBytes: [UInt8]
    public let reserved: Data
    public let hashAlgorithm: HashAlgorithm
    /// The inner signature blob: `string algorithm, string signature[, byte flags, uint32 counter]`.
    let signatureBlob: [UInt8]

    /// The namespace the signer named (`-n`).
    public var namespace: String { String(decoding: namespaceBytes, as: UTF8.self) }

    /// The inner signature's algorithm: `ssh-ed25519`, `rsa-sha2-512`, …
    public var signatureAlgorithm: String { SSHPublicKey.signatureAlgorithm(of: signatureBlob) ?? "" }

    /// Parses the armored text of a `.sig` file.
    public init(armored data: Data) throws {
        guard data.count <= Self.maximumArmoredSize else {
            throw SSHSignatureError("the file is larger than \(Self.maximumArmoredSize / 1024) KiB")
        }
        try self.init(wireRepresentation: Self.dearmor([UInt8](data)))
    }

    /// Parses the binary SSHSIG blob (the armor's base64, decoded).
    public init(wireRepresentation data: Data) throws {
        var reader = SSHWireReader(data)
        do {
            guard try reader.readBytes(Self.magic.count) == Self.magic else {
                throw SSHSignatureError("it does not start with SSHSIG")
            }
            version = try reader.readUInt32()
            guard version <= 1 else { throw SSHSignatureError("version \(version) is newer than 1") }
            let keyBlob = try reader.readString()
            namespaceBytes = try reader.readCString()
            reserved = Data(try reader.readString())
            let hashName = String(decoding: try reader.readCString(), as: UTF8.self)
            signatureBlob = try reader.readString()
            guard reader.isAtEnd else { throw SSHSignatureError("it has trailing data") }
            guard let hash = HashAlgorithm(rawValue: hashName) else {
                throw SSHSignatureError("the hash algorithm \"\(hashName.prefix(40))\" is neither sha256 nor sha512", unsupported: true)
            }
            hashAlgorithm = hash
            do {
                publicKey = try SSHPublicKey(blob: keyBlob)
            } catch let error as SSHKeyError {
                if case .unsupportedKind = error {
                    throw SSHSignatureError(error.errorDescription ?? "unsupported key", unsupported: true)
                }
                throw SSHSignatureError(error.errorDescription ?? "bad key")
            }
        } catch is SSHWireReader.Truncated {
            throw SSHSignatureError("it is truncated")
        } catch is SSHWireError {
            throw SSHSignatureError("a text field holds a NUL byte")
        }
    }

    /// `sshsig_dearmor`: the exact header line, base64 (whitespace ignored), the footer.
    static func dearmor(_ bytes: [UInt8]) throws -> Data {
        guard bytes.starts(with: beginMarker) else {
            throw SSHSignatureError("it does not start with \"-----BEGIN SSH SIGNATURE-----\"")
        }
        let body = bytes[beginMarker.count...]
        guard let end = firstRange(of: endMarker, in: body) else {
            throw SSHSignatureError("it has no \"-----END SSH SIGNATURE-----\" line")
        }
        var base64: [UInt8] = []
        base64.reserveCapacity(end - body.startIndex)
        for byte in body[body.startIndex..<end] {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: continue
            default: base64.append(byte)
            }
        }
        guard let decoded = Data(base64Encoded: Data(base64)) else {
            throw SSHSignatureError("its base64 does not decode")
        }
        return decoded
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// What the signature says about `message` in `namespace`, before asking who may sign: the checks of
    /// OpenSSH's `sshsig_verify_fd`, in its order.
    enum CryptoOutcome: Equatable {
        case valid(SSHPublicKey.SecurityKeyDetails?)
        case problem(SignatureProblem)
    }

    func check(_ message: Data, namespace expected: String) -> CryptoOutcome {
        let expectedBytes = Array(expected.utf8)
        guard namespaceBytes == expectedBytes else {
            return .problem(.wrongNamespace(expected: expected, found: namespace))
        }
        let algorithm = signatureAlgorithm
        if publicKey.kind == .rsa && algorithm != "rsa-sha2-256" && algorithm != "rsa-sha2-512" {
            return .problem(.unsupported(algorithm == "ssh-rsa"
                ? "an ssh-rsa (SHA-1) signature, which ssh-keygen refuses; sign again (ssh-keygen signs with rsa-sha2-512)"
                : "the RSA signature algorithm \"\(algorithm.prefix(40))\" is not rsa-sha2-256 or rsa-sha2-512"))
        }
        var toVerify = SSHWireWriter()
        toVerify.write(Self.magic)
        toVerify.writeString(expectedBytes)
        toVerify.writeString([UInt8]())
        toVerify.writeString(hashAlgorithm.rawValue)
        switch hashAlgorithm {
        case .sha256: toVerify.writeString(Array(SHA256.hash(data: message)))
        case .sha512: toVerify.writeString(Array(SHA512.hash(data: message)))
        }
        switch publicKey.verify(signatureBlob: signatureBlob, message: toVerify.bytes) {
        case .valid(let details): return .valid(details)
        case .invalid: return .problem(.wrongBytes)
        case .malformed(let detail): return .problem(.malformed(detail))
        }
    }
}

/// Why a `.sig` file is not an SSHSIG signature attest can read.
public struct SSHSignatureError: Error, Sendable, Equatable, LocalizedError {
    public var detail: String
    /// Well formed, but of a kind attest cannot check (a key type or hash it does not support).
    public var unsupported: Bool

    init(_ detail: String, unsupported: Bool = false) {
        self.detail = detail
        self.unsupported = unsupported
    }

    public var errorDescription: String? { "not an SSH signature attest can read: \(detail)" }
}
