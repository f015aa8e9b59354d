public import Foundation

/// Who may sign: OpenSSH's `allowed_signers` file (`man ssh-keygen`, ALLOWED SIGNERS), read strictly.
/// Each line is `PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]`; principals are a pattern list (`*`, `?`,
/// `!`), optionally in double quotes; options are `namespaces="…"`, `valid-after="…"`, `valid-before="…"`.
/// Where ssh-keygen skips a line it cannot read, attest refuses the whole file, naming `PATH:LINE:COL`;
/// `cert-authority`, key types attest cannot check and times without `Z` are refused the same way.
public struct AllowedSigners: Sendable {
    /// One line that lists a key.
    public struct Entry: Hashable, Sendable {
        /// 1-based line number in the file.
        public let line: Int
        /// The principals pattern list as written (without its quotes), e.g. `alice@example.com,*@ops.example.com`.
        public let principals: String
        public let key: SSHPublicKey
        /// The `namespaces=` pattern list, or nil when the key may sign in any namespace.
        public let namespaces: String?
        /// `valid-after` (the key counts from then on), truncated to the second.
        public let validAfter: Date?
        /// `valid-before` (the key counts until then, inclusive).
        public let validBefore: Date?

        let principalBytes: [UInt8]
        let namespaceBytes: [UInt8]?
        let validAfterSeconds: Int64?
        let validBeforeSeconds: Int64?

        /// The principals as a list of patterns.
        public var principalPatterns: [String] { principals.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

        /// Whether `principal` is one of this line's (OpenSSH pattern rules, case-sensitive).
        public func lists(principal: String) -> Bool { SSHPattern.matchList(Array(principal.utf8), principalBytes) == .positive }

        /// Whether the line lets its key sign in `namespace`.
        public func permits(namespace: String) -> Bool {
            guard let namespaceBytes else { return true }
            return SSHPattern.matchList(Array(namespace.utf8), namespaceBytes) == .positive
        }
    }

    /// Largest file read. A line per signer is about 100 bytes (RSA keys up to 3 KiB).
    public static let maximumSize = 4 << 20
    /// Longest line read.
    public static let maximumLineLength = 16 * 1024
    /// The name attest uses at the workspace root.
    public static let fileName = "allowed_signers"

    public let entries: [Entry]
    /// Entries by key, in file order.
    let entriesByKey: [SSHPublicKey: [Int]]

    public init(entries: [Entry]) {
        self.entries = entries
        var index: [SSHPublicKey: [Int]] = [:]
        for (position, entry) in entries.enumerated() { index[entry.key, default: []].append(position) }
        entriesByKey = index
    }

    /// Parses the file's bytes; `path` is how errors name it (`allowed_signers:LINE:COL: error: …`).
    public init(parsing data: Data, path: String = AllowedSigners.fileName) throws {
        guard data.count <= Self.maximumSize else {
            throw SigningError.allowedSignersTooLarge(path: path, limit: Self.maximumSize)
        }
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if let entry = try Self.parseLine(Array(rawLine), number: lineNumber, path: path) {
                entries.append(entry)
            }
        }
        self.init(entries: entries)
    }

    /// Reads the file at `url`; a missing file is an empty list (nobody may sign yet).
    public static func load(from url: URL, displayPath: String = AllowedSigners.fileName) throws -> AllowedSigners {
        try AllowedSigners(parsing: read(from: url, displayPath: displayPath) ?? Data(), path: displayPath)
    }

    /// The file's bytes, nil when it does not exist; refused when it is not a regular file or too large.
    static func read(from url: URL, displayPath: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw SigningError.allowedSignersUnreadable(path: displayPath, detail: error.localizedDescription)
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw SigningError.allowedSignersUnreadable(path: displayPath, detail: "not a regular file")
        }
        if let size = attributes[.size] as? Int, size > maximumSize {
            throw SigningError.allowedSignersTooLarge(path: displayPath, limit: maximumSize)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw SigningError.allowedSignersUnreadable(path: displayPath, detail: error.localizedDescription)
        }
    }

    // MARK: - One line

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ","), equals = UInt8(ascii: "="), backslash = UInt8(ascii: "\\")

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    private static func parseLine(_ input: [UInt8], number: Int, path: String) throws -> Entry? {
        func fail(_ column: Int, _ detail: String) -> SigningError {
            .malformedAllowedSigners(path: path, line: number, column: column + 1, detail: detail)
        }
        var line = input
        if line.last == 0x0D { line.removeLast() }
        guard line.count <= maximumLineLength else { throw fail(0, "the line is longer than \(maximumLineLength) bytes") }
        if let bad = line.firstIndex(where: { ($0 < 0x20 && $0 != tab) || $0 == 0x7F }) {
            throw fail(bad, "control character 0x\(String(line[bad], radix: 16, uppercase: true)) in the line")
        }
        var i = 0
        while i < line.count && isBlank(line[i]) { i += 1 }
        if i == line.count || line[i] == UInt8(ascii: "#") { return nil }

        // Principals: a pattern list, or a quoted one (which may hold spaces).
        let principalsStart = i
        let principals: [UInt8]
        let quoted = line[i] == quote
        if quoted {
            guard let close = line[(i + 1)...].firstIndex(of: quote) else {
                throw fail(i, "the principals' opening quote is never closed")
            }
            principals = Array(line[(i + 1)..<close])
            i = close + 1
            if i < line.count && !isBlank(line[i]) { throw fail(i, "expected a space after the quoted principals") }
        } else {
            let end = line[i...].firstIndex(where: isBlank) ?? line.count
            principals = Array(line[i..<end])
            if let q = principals.firstIndex(of: quote) {
                throw fail(i + q, "a quote inside the principals; quote the whole principals field or none of it")
            }
            i = end
        }
        try checkPatternList(principals, what: "principal", at: principalsStart + (quoted ? 1 : 0), fail: fail)
        while i < line.count && isBlank(line[i]) { i += 1 }
        guard i < line.count else { throw fail(i, "the line has principals but no key; expected PRINCIPALS [OPTIONS] KEYTYPE BASE64") }

        // Options, unless the next word is a key type (as ssh-keygen decides).
        var namespaces: [UInt8]?
        var validAfter: Int64?, validBefore: Int64?
        let firstWordEnd = line[i...].firstIndex(where: isBlank) ?? line.count
        let firstWord = String(decoding: line[i..<firstWordEnd], as: UTF8.self)
        if !looksLikeKeyType(firstWord) {
            while true {
                let nameStart = i
                while i < line.count && line[i] != equals && line[i] != comma && !isBlank(line[i]) { i += 1 }
                let name = String(decoding: line[nameStart..<i], as: UTF8.self).lowercased()
                switch name {
                case "cert-authority":
                    throw fail(nameStart, "cert-authority lines are not supported; list each signer's own key")
                case "namespaces", "valid-after", "valid-before":
                    guard i < line.count, line[i] == equals else { throw fail(i, "expected =\"…\" after \(name)") }
                    i += 1
                    guard i < line.count, line[i] == quote else { throw fail(i, "the value of \(name) must be in double quotes") }
                    let valueStart = i + 1
                    var value: [UInt8] = []
                    i += 1
                    while i < line.count && line[i] != quote {
                        if line[i] == backslash && i + 1 < line.count && line[i + 1] == quote { i += 1 }
                        value.append(line[i])
                        i += 1
                    }
                    guard i < line.count else { throw fail(valueStart - 1, "the value of \(name) has no closing quote") }
                    i += 1
                    if name == "namespaces" {
                        guard namespaces == nil else { throw fail(nameStart, "namespaces is given twice") }
                        try checkPatternList(value, what: "namespace", at: valueStart, fail: fail)
                        namespaces = value
                    } else {
                        guard (name == "valid-after" ? validAfter : validBefore) == nil else {
                            throw fail(nameStart, "\(name) is given twice")
                        }
                        switch SSHTime.parse(value) {
                        case .success(let seconds):
                            if name == "valid-after" { validAfter = seconds } else { validBefore = seconds }
                        case .failure(let error):
                            throw fail(valueStart, "\(name): \(error.message)")
                        }
                    }
                case "":
                    throw fail(nameStart, "an empty option")
                default:
                    let shown = name.prefix(40)
                    if ["no-touch-required", "verify-required"].contains(name) {
                        throw fail(nameStart, "\(shown) is not an allowed_signers option (ssh-keygen refuses it too); remove it")
                    }
                    throw fail(nameStart, "unknown option \"\(shown)\"; allowed_signers takes namespaces=, valid-after= and valid-before=")
                }
                if i == line.count || isBlank(line[i]) { break }
                guard line[i] == comma else { throw fail(i, "expected a comma or a space after an option") }
                i += 1
                guard i < line.count, !isBlank(line[i]) else { throw fail(i, "an option list may not end with a comma") }
            }
            if let validAfter, let validBefore, validBefore <= validAfter {
                throw fail(principalsStart, "valid-before is not after valid-after")
            }
            while i < line.count && isBlank(line[i]) { i += 1 }
            guard i < line.count else { throw fail(i, "the line has no key after its options") }
        }

        // The key: KEYTYPE BASE64 [COMMENT].
        let typeStart = i
        while i < line.count && !isBlank(line[i]) { i += 1 }
        let type = String(decoding: line[typeStart..<i], as: UTF8.self)
        while i < line.count && isBlank(line[i]) { i += 1 }
        let dataStart = i
        while i < line.count && !isBlank(line[i]) { i += 1 }
        guard dataStart < i else { throw fail(dataStart, "the key has a type but no base64 data") }
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(type: type, base64: String(decoding: line[dataStart..<i], as: UTF8.self))
        } catch let error as SSHKeyError {
            if case .unsupportedKind = error {
                throw fail(typeStart, error.errorDescription ?? "unsupported key type")
            }
            throw fail(dataStart, error.errorDescription ?? "invalid key")
        }
        return Entry(
            line: number, principals: String(decoding: principals, as: UTF8.self), key: key,
            namespaces: namespaces.map { String(decoding: $0, as: UTF8.self) },
            validAfter: validAfter.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            validBefore: validBefore.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            principalBytes: principals, namespaceBytes: namespaces, validAfterSeconds: validAfter, validBeforeSeconds: validBefore)
    }

    /// A word ssh-keygen would read as a key type rather than as options.
    private static func looksLikeKeyType(_ word: String) -> Bool {
        SSHPublicKey.Kind(rawValue: word) != nil || SSHPublicKey.knownUnsupportedKinds.contains(word)
    }

    /// A pattern list as attest accepts it: no empty pattern, none longer than OpenSSH reads, no quotes.
    private static func checkPatternList(_ list: [UInt8], what: String, at start: Int, fail: (Int, String) -> SigningError) throws {
        guard !list.isEmpty else { throw fail(start, "the \(what) list is empty") }
        var offset = 0
        for pattern in list.split(separator: comma, omittingEmptySubsequences: false) {
            let body = pattern.first == UInt8(ascii: "!") ? pattern.dropFirst() : pattern[...]
            if body.isEmpty { throw fail(start + offset, "an empty \(what) pattern (two commas, or a trailing comma or !)") }
            if body.count > SSHPattern.maximumPatternLength {
                throw fail(start + offset, "a \(what) pattern longer than \(SSHPattern.maximumPatternLength) bytes")
            }
            if let q = pattern.firstIndex(of: quote) { throw fail(start + offset + (q - pattern.startIndex), "a quote inside a \(what)") }
            offset += pattern.count + 1
        }
    }
}
