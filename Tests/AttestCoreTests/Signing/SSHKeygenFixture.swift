@testable import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// Keys made by the real `ssh-keygen` in a temporary folder, and `ssh-keygen -Y verify` as the oracle.
/// Tests that need it are enabled only when `ssh-keygen` is on PATH.
final class SSHKeygenFixture: @unchecked Sendable {
    static let executable: String? = Subprocess.locate("ssh-keygen")
    static var available: Bool { executable != nil }
    static let skipReason: Comment = "ssh-keygen not found on PATH: install openssh-client to run the signature tests"

    /// One fixture for the whole run: RSA-3072 generation is slow.
    static let shared: SSHKeygenFixture = try! SSHKeygenFixture()

    enum KeyType: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case ed25519, ecdsa256, ecdsa384, ecdsa521, rsa3072, rsa1024

        var arguments: [String] {
            switch self {
            case .ed25519: ["-t", "ed25519"]
            case .ecdsa256: ["-t", "ecdsa", "-b", "256"]
            case .ecdsa384: ["-t", "ecdsa", "-b", "384"]
            case .ecdsa521: ["-t", "ecdsa", "-b", "521"]
            case .rsa3072: ["-t", "rsa", "-b", "3072"]
            // OpenSSH's smallest RSA key; swift-crypto takes it only through its "unsafe" DER initializer.
            case .rsa1024: ["-t", "rsa", "-b", "1024"]
            }
        }

        var label: String {
            switch self {
            case .ed25519: "ED25519"
            case .ecdsa256, .ecdsa384, .ecdsa521: "ECDSA"
            case .rsa3072, .rsa1024: "RSA"
            }
        }

        var testDescription: String { rawValue }
    }

    let directory: TemporaryDirectory
    private let lock = NSLock()
    private var keys: [String: String] = [:]

    init() throws { directory = try TemporaryDirectory() }

    var root: URL { directory.url }

    /// The private key path of a key named `name` (made once), with its `.pub` beside it.
    func key(_ name: String, _ type: KeyType, passphrase: String = "") throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let cacheKey = "\(name)-\(type.rawValue)"
        if let path = keys[cacheKey] { return path }
        let path = root.appendingPathComponent(cacheKey).path
        let result = try Self.run(type.arguments + ["-q", "-N", passphrase, "-C", name, "-f", path])
        guard result.status == 0 else { throw FixtureError("ssh-keygen could not make a key: \(result.stderr)") }
        keys[cacheKey] = path
        return path
    }

    func publicKey(_ name: String, _ type: KeyType) throws -> SSHPublicKey {
        try SSHPublicKey(authorizedKey: String(contentsOfFile: try key(name, type) + ".pub", encoding: .utf8))
    }

    /// `ssh-keygen -Y sign` over `bytes`, returning the `.sig` file's bytes.
    func sign(_ bytes: Data, with keyPath: String, namespace: String, extra: [String] = []) throws -> Data {
        let file = root.appendingPathComponent("msg-\(UUID().uuidString)")
        try bytes.write(to: file)
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(atPath: file.path + ".sig")
        }
        let result = try Self.run(["-Y", "sign", "-q", "-n", namespace, "-f", keyPath] + extra + [file.path])
        guard result.status == 0 else { throw FixtureError("ssh-keygen -Y sign failed: \(result.stderr)") }
        return try Data(contentsOf: URL(fileURLWithPath: file.path + ".sig"))
    }

    /// `ssh-keygen -Y verify`'s verdict: true when it exits 0.
    func sshKeygenVerifies(allowedSigners: String, signature: Data, bytes: Data, principal: String, namespace: String, at time: Date) throws -> Bool {
        let id = UUID().uuidString
        let allowed = root.appendingPathComponent("allowed-\(id)"), sig = root.appendingPathComponent("sig-\(id)")
        let message = root.appendingPathComponent("bytes-\(id)")
        try Data(allowedSigners.utf8).write(to: allowed)
        try signature.write(to: sig)
        try bytes.write(to: message)
        defer { for url in [allowed, sig, message] { try? FileManager.default.removeItem(at: url) } }
        let result = try Self.run(["-Y", "verify", "-f", allowed.path, "-I", principal, "-n", namespace, "-s", sig.path,
                                   "-Overify-time=\(SSHTime.verifyTime(time))"], stdin: message)
        return result.status == 0
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? "/usr/bin/ssh-keygen")
        process.arguments = arguments
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readAllRetryingInterrupts()
        let outData = out.fileHandleForReading.readAllRetryingInterrupts()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Date {
    /// `2026-01-01T00:00:00Z`
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
}
