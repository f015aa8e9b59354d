public import Foundation

/// The key to sign with: `--key PATH`, else git's `user.signingkey` when `gpg.format` is `ssh` (a path, `~`
/// expanded, or a literal `key::ssh-ed25519 AAAA…`). A path may name a private key or a public key whose
/// private half is in ssh-agent or on a security key, as `ssh-keygen -Y sign -f` allows.
public struct SigningKey: Hashable, Sendable, CustomStringConvertible {
    public enum Location: Hashable, Sendable {
        case file(String)
        /// A public key given as text; the private half must be in ssh-agent.
        case literal(SSHPublicKey)
    }

    public let location: Location
    /// Where it came from, for messages: `--key`, or `git config user.signingkey`.
    public let origin: String

    public init(location: Location, origin: String) {
        self.location = location
        self.origin = origin
    }

    /// Private and public key files are small; a bigger file is not a key.
    static let maximumKeyFileSize = 1 << 20

    public var description: String {
        switch location {
        case .file(let path): "\(path) (\(origin))"
        case .literal(let key): "\(key) (\(origin))"
        }
    }

    /// `--key` when given, else git's configuration read in `directory`; `noSigningKey` says how to set one.
    public static func resolve(explicit: String?, in directory: URL?) throws -> SigningKey {
        if let explicit { return try fromOption(explicit) }
        let format = Git.config("gpg.format", in: directory)
        let signingKey = Git.config("user.signingkey", in: directory)
        return try fromGitConfig(format: format, signingKey: signingKey)
    }

    /// `--key PATH` (`~` expanded).
    public static func fromOption(_ path: String) throws -> SigningKey {
        SigningKey(location: .file(expandTilde(path)), origin: "--key")
    }

    /// git's rules: only with `gpg.format=ssh`; `key::…` (or, deprecated, a value starting with `ssh-`) is a
    /// literal public key, anything else a path.
    public static func fromGitConfig(format: String?, signingKey: String?) throws -> SigningKey {
        guard format?.lowercased() == "ssh", let value = signingKey?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw SigningError.noSigningKey
        }
        let origin = "git config user.signingkey"
        var literal: String?
        if value.hasPrefix("key::") {
            literal = String(value.dropFirst(5))
        } else if value.hasPrefix("ssh-") || value.hasPrefix("ecdsa-") || value.hasPrefix("sk-") {
            literal = value
        }
        if let literal {
            do {
                return SigningKey(location: .literal(try SSHPublicKey(authorizedKey: literal)), origin: origin)
            } catch let error as SSHKeyError {
                throw SigningError.keyUnreadable(path: origin, detail: error.errorDescription ?? "\(error)")
            }
        }
        return SigningKey(location: .file(expandTilde(value)), origin: origin)
    }

    static func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let rest = path.dropFirst()
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let user = String(rest[rest.startIndex..<slash])
        let home = user.isEmpty
            ? (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
            : NSHomeDirectoryForUser(user)
        guard let home else { return path }
        return home + String(rest[slash...])
    }

    /// The public half: the literal key; the file itself when it is a public key; the public key stored
    /// unencrypted inside an OpenSSH private key file; else the `.pub` file beside it.
    public func publicKey() throws -> SSHPublicKey {
        switch location {
        case .literal(let key):
            return key
        case .file(let path):
            let text = try Self.readKeyFile(path)
            if !text.contains("PRIVATE KEY-----") {
                do {
                    return try SSHPublicKey(authorizedKey: text)
                } catch let error as SSHKeyError {
                    throw SigningError.keyUnreadable(path: path, detail: error.errorDescription ?? "\(error)")
                }
            }
            if let key = OpenSSHPrivateKeyFile.publicKey(in: text) { return key }
            guard FileManager.default.fileExists(atPath: path + ".pub") else {
                throw SigningError.keyUnreadable(path: path, detail: "a private key whose public part cannot be read without \(path).pub")
            }
            do {
                return try SSHPublicKey(authorizedKey: try Self.readKeyFile(path + ".pub"))
            } catch let error as SSHKeyError {
                throw SigningError.keyUnreadable(path: path + ".pub", detail: error.errorDescription ?? "\(error)")
            }
        }
    }

    private static func readKeyFile(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw SigningError.keyFileMissing(path: path) }
        guard !isDirectory.boolValue else { throw SigningError.keyUnreadable(path: path, detail: "a directory, not a key file") }
        // A path typed on the command line is followed, but must be a regular file: a FIFO or device never blocks or streams.
        let data: Data
        do {
            data = try SafeFile.read(path, display: path, followingLinks: true, limit: maximumKeyFileSize, what: "key file")
        } catch let error as StoreError {
            switch error {
            case .notRegularFile(_, let kind): throw SigningError.keyUnreadable(path: path, detail: "not a regular file (\(kind))")
            case .tooLarge: throw SigningError.keyUnreadable(path: path, detail: "larger than 1 MiB, not a key")
            default: throw SigningError.keyUnreadable(path: path, detail: error.errorDescription ?? "\(error)")
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The public key inside an `-----BEGIN OPENSSH PRIVATE KEY-----` file, which OpenSSH stores unencrypted
/// (`PROTOCOL.key`), so no passphrase is needed to learn which key will sign.
enum OpenSSHPrivateKeyFile {
    static func publicKey(in text: String) -> SSHPublicKey? {
        let begin = "-----BEGIN OPENSSH PRIVATE KEY-----", end = "-----END OPENSSH PRIVATE KEY-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else { return nil }
        let base64 = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(base64)) else { return nil }
        var reader = SSHWireReader(data)
        guard let magic = try? reader.readBytes(15), magic == Array("openssh-key-v1\0".utf8),
              (try? reader.readString()) != nil, (try? reader.readString()) != nil, (try? reader.readString()) != nil,
              let count = try? reader.readUInt32(), count >= 1,
              let blob = try? reader.readString() else { return nil }
        return try? SSHPublicKey(blob: blob)
    }
}
