public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AllowedSigners {
    /// The namespaces `signers add` grants: records and reports.
    public static let defaultNamespaces = "attest,attest-report"

    /// `PRINCIPAL namespaces="attest,attest-report" KEYTYPE BASE64`
    public static func line(principal: String, key: SSHPublicKey, namespaces: String = defaultNamespaces) -> String {
        "\(principal) namespaces=\"\(namespaces)\" \(key.authorizedKeyText)"
    }

    /// A principal `signers add` accepts: one literal name (an email address), so no pattern characters,
    /// quotes, commas, spaces or control characters.
    public static func checkPrincipal(_ principal: String) throws {
        func refuse(_ reason: String) -> SigningError { .invalidPrincipal(principal, reason: reason) }
        guard !principal.isEmpty else { throw refuse("it is empty") }
        guard principal.utf8.count <= SSHPattern.maximumPatternLength else { throw refuse("it is longer than \(SSHPattern.maximumPatternLength) bytes") }
        if principal.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            throw refuse("it contains a space or a control character")
        }
        if let bad = principal.first(where: { ",*?\"".contains($0) }) {
            throw refuse("it contains \"\(bad)\", which allowed_signers reads as a pattern or a separator; give one email address")
        }
        if principal.hasPrefix("!") || principal.hasPrefix("#") {
            throw refuse("it starts with \"\(principal.first!)\", which allowed_signers reads as a negation or a comment")
        }
    }

    /// Appends `line(principal:key:)` to the file at `url` (created when missing): every existing byte stays
    /// as it was, the file is replaced atomically, and a principal already listed with that key is refused.
    /// The existing file must parse (a malformed line is reported, not buried). `lockDirectory` holds a lock
    /// file so that two `signers add` at once do not lose a line.
    @discardableResult
    public static func append(principal: String, key: SSHPublicKey, to url: URL, displayPath: String = fileName,
                              lockDirectory: URL? = nil, temporaryDirectory: URL? = nil) throws -> Entry {
        try checkPrincipal(principal)
        let lock = try lockDirectory.map { try FileLock(directory: $0, name: "allowed_signers.lock") }
        defer { lock?.release() }
        let existing = try read(from: url, displayPath: displayPath) ?? Data()
        let current = try AllowedSigners(parsing: existing, path: displayPath)
        if let duplicate = current.entries.first(where: { $0.key == key && $0.lists(principal: principal) }) {
            throw SigningError.duplicateSigner(principal: principal, key: key.description, line: duplicate.line)
        }
        var updated = existing
        if let last = updated.last, last != 0x0A { updated.append(0x0A) }
        updated.append(contentsOf: Array((line(principal: principal, key: key) + "\n").utf8))
        let parsed = try AllowedSigners(parsing: updated, path: displayPath)
        try AtomicFile.write(updated, to: url, mode: .replace, displayPath: displayPath, temporaryDirectory: temporaryDirectory)
        return parsed.entries[parsed.entries.count - 1]
    }
}

/// An exclusive `flock` on a file in a directory, held until released.
struct FileLock {
    private let descriptor: Int32

    init(directory: URL, name: String) throws {
        let display = directory.appendingPathComponent(name).path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.writeFailed(path: display, detail: error.localizedDescription)
        }
        descriptor = open(display, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.writeFailed(path: display, detail: String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR {
                close(descriptor)
                throw StoreError.writeFailed(path: display, detail: String(cString: strerror(errno)))
            }
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
