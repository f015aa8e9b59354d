public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What each record file said the last time it was read, keyed by its `stat`: `.attest/records-<id>.cache`.
///
/// A file whose device, inode, size, modification and change times (to the nanosecond) are all as they were
/// holds the bytes it held then: the change time moves on every write, and no program can set it back. Its
/// decoded record, SHA-256 and valid signature verdict are then taken from here instead of being read,
/// decoded, hashed and verified again; the record is still checked against its schema's rules and its place.
/// Files changed within two seconds of being read are not cached (a write in the same tick of the file
/// system's clock could leave every field as it was). Import and settings records are always read.
///
/// The cache is never evidence: `verify` does not read it. It is read only when it is a regular file of this
/// user's that no one else may write; a cache that is damaged (each entry has a checksum), of another version
/// or for another `allowed_signers` is read as no cache (or without its signed entries) and written anew. A
/// forged entry counts only for a file with exactly the stat it names, which a hostile commit cannot know
/// (inodes and nanosecond change times are the checkout's own); whoever can write `.attest/` on the machine
/// could as well change what runs there.
public struct RecordCache: Sendable {
    /// Everything `stat` says that changes when a file's bytes do.
    public struct FileKey: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanoseconds: Int64
        var changed: Int64
        var changedNanoseconds: Int64

        /// The key of the regular file `name` in the folder open as `directory` (symbolic links are not
        /// followed), or nil.
        init?(directory: Int32, name: String) {
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, SafeFile.Kind(mode: info.st_mode) == .regular else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec)
            changedNanoseconds = Int64(info.st_ctim.tv_nsec)
        }

        init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanoseconds: Int64, changed: Int64, changedNanoseconds: Int64) {
            self.device = device
            self.inode = inode
            self.size = size
            self.modified = modified
            self.modifiedNanoseconds = modifiedNanoseconds
            self.changed = changed
            self.changedNanoseconds = changedNanoseconds
        }

        /// Changed within the two seconds before `now` (nanoseconds since 1970): a write in the same tick of the file system's clock
        /// could leave every field as it is, so such a file is read again next time instead of trusted.
        func isRacy(now: Int64) -> Bool {
            let window: Int64 = 2_000_000_000
            return changed * 1_000_000_000 + changedNanoseconds >= now - window || modified * 1_000_000_000 + modifiedNanoseconds >= now - window
        }

        /// Now, in nanoseconds since 1970, as file times count.
        static func now() -> Int64 {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
    }

    /// A record as it was read, ready to be cached.
    public struct Entry: Sendable {
        /// Relative to the checklist folder: `records/<ITEM>/<id>.json`.
        public var path: String
        public var key: FileKey
        public var sha256: String
        public var record: Record
        /// The `.sig` beside the record and who validly signed it; nil for an unsigned record.
        public var signature: (key: FileKey, signer: SignedBy)?
    }

    /// Where an entry lies in the file: found by one scan that makes nothing, decoded only when its file is
    /// read (by the reading workers, on every core).
    struct Location: Sendable {
        var pathStart: Int
        var pathEnd: Int
        var end: Int
        /// The path's bytes, after their length.
        var path: Range<Int> { pathStart + 8..<pathEnd }
    }

    /// What a reading worker decided for one record file.
    public enum Outcome: Sendable {
        /// The cached entry at this index still holds (copied as it is into the next cache file).
        case reused(Int)
        case fresh(Entry)
    }

    static let magic = Array("attest record cache 3\n".utf8)

    let data: Data
    /// The `allowed_signers` the signature verdicts are for ("" for none).
    let allowedSignersSHA256: String
    /// Whether the file's verdicts were reached with that `allowed_signers`; if not, signed entries are read again.
    let signaturesHold: Bool
    let signers: [SignedBy]
    /// Sorted by path.
    let locations: [Location]

    /// An empty cache.
    public init(allowedSignersSHA256: String) {
        data = Data()
        self.allowedSignersSHA256 = allowedSignersSHA256
        signaturesHold = true
        signers = []
        locations = []
    }

    public var count: Int { locations.count }

    // MARK: Reading

    /// The cache at `url`, or an empty one when it is missing, damaged, or not a regular file owned by this
    /// user and writable by them alone.
    static func load(_ url: URL, allowedSignersSHA256: String) -> RecordCache {
        guard let data = SafeFile.readPrivateCache(url.path),
              let cache = try? RecordCache(data: data, allowedSignersSHA256: allowedSignersSHA256)
        else { return RecordCache(allowedSignersSHA256: allowedSignersSHA256) }
        return cache
    }

    /// Scans a cache file's bytes: its header, and where each entry lies. Throws on any length that does not
    /// fit and on paths out of order; an entry itself is checked when it is decoded. A reader of untrusted
    /// bytes: every length is checked against what is left, and nothing recurses.
    public init(data: Data, allowedSignersSHA256: String) throws {
        var signers: [SignedBy] = []
        var locations: [Location] = []
        let written = try data.withUnsafeBytes { raw -> String in
            var reader = BinaryReader(bytes: raw.bindMemory(to: UInt8.self))
            try reader.expect(Self.magic)
            let written = try reader.string()
            for _ in 0..<(try reader.count(minimumSize: 24)) {
                let principal = try reader.string()
                let key = try SSHPublicKey(authorizedKey: try reader.string())
                signers.append(SignedBy(principal: principal, key: key, allowedSignersLine: try reader.count(minimumSize: 0), securityKey: nil))
            }
            let count = try reader.count(minimumSize: 16)
            locations.reserveCapacity(count)
            for _ in 0..<count {
                let pathStart = reader.index
                let pathEnd = try reader.skipString()
                let length = try reader.count(minimumSize: 1)
                guard length >= 8 else { throw BinaryReader.Malformed() }
                reader.index += length
                let location = Location(pathStart: pathStart, pathEnd: pathEnd, end: reader.index)
                if let last = locations.last, reader.compare(last.path, location.path) >= 0 { throw BinaryReader.Malformed() }
                locations.append(location)
            }
            guard reader.isAtEnd else { throw BinaryReader.Malformed() }
            return written
        }
        self.data = data
        self.allowedSignersSHA256 = allowedSignersSHA256
        signaturesHold = written == allowedSignersSHA256
        self.signers = signaturesHold ? signers : []
        self.locations = locations
    }

    /// Compares the path of the entry at `index` with `path`'s UTF-8.
    private func comparePath(at index: Int, with path: UnsafeBufferPointer<UInt8>) -> Int {
        data.withUnsafeBytes { raw in BinaryReader(bytes: raw.bindMemory(to: UInt8.self)).compare(locations[index].path, path) }
    }

    /// The index of the entry for `path`, looking from `start` on (paths are looked up in sorted order).
    func index(of path: String, from start: inout Int) -> Int? {
        var path = path
        return path.withUTF8 { wanted -> Int? in
            while start < locations.count {
                let order = comparePath(at: start, with: wanted)
                if order == 0 { return start }
                if order > 0 { return nil }
                start += 1
            }
            return nil
        }
    }

    /// The first entry whose path is not before `path`.
    func lowerBound(_ path: String) -> Int {
        var path = path
        return path.withUTF8 { wanted in
            var low = 0, high = locations.count
            while low < high {
                let middle = (low + high) / 2
                if comparePath(at: middle, with: wanted) < 0 { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// The entry at `index` when the record file still has `key` and its `.sig` (if any) `signatureKey`;
    /// nil when anything changed or the entry's bytes are not what `encoded` writes.
    func entry(at index: Int, path: String, key: FileKey, signatureKey: FileKey?) -> Entry? {
        guard let entry = decodeEntry(at: index, path: path), entry.key == key, entry.signature?.key == signatureKey else { return nil }
        return entry
    }

    /// Every entry decoded, whatever its files say now (nil where the bytes are not what `encoded` writes):
    /// for the fuzz target and the tests.
    public func decodedEntries() -> [Entry?] { locations.indices.map { decodeEntry(at: $0) } }

    /// The entry at `index`, its checksum checked first; `path` spares making the path's string again.
    private func decodeEntry(at index: Int, path knownPath: String? = nil) -> Entry? {
        let location = locations[index]
        return data.withUnsafeBytes { raw -> Entry? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var reader = BinaryReader(bytes: UnsafeBufferPointer(rebasing: bytes[..<(location.end - 8)]))
            do {
                let body = location.pathEnd + 8..<location.end - 8
                guard body.lowerBound <= body.upperBound,
                      Self.checksum(UnsafeBufferPointer(rebasing: bytes[body])) == BinaryReader(bytes: bytes, index: location.end - 8).peekInteger()
                else { return nil }
                reader.index = location.pathStart
                let path = try knownPath ?? reader.string()
                reader.index = body.lowerBound
                let key = try reader.key()
                let sha256 = try reader.string()
                var signature: (key: FileKey, signer: SignedBy)?
                switch try reader.byte() {
                case 0: break
                case 1:
                    let signatureKey = try reader.key()
                    let signer = try reader.count(minimumSize: 0)
                    guard signaturesHold, signer < signers.count else { return nil }
                    signature = (signatureKey, signers[signer])
                default: return nil
                }
                let record = try reader.record()
                guard reader.isAtEnd else { return nil }
                return Entry(path: path, key: key, sha256: sha256, record: record, signature: signature)
            } catch {
                return nil
            }
        }
    }

    /// A checksum of an entry's bytes (FNV-1a's constants, eight bytes a step): a damaged cache (a disk that
    /// lost a block) is read as no cache. Not a defence against a forger: see the type's documentation.
    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* 0x0000_0100_0000_01b3
            offset += 1
        }
        return hash
    }

    // MARK: Writing

    /// Writes the next cache: the entries reused copied byte for byte, the fresh ones encoded. A cache that
    /// cannot be written costs only speed.
    func save(_ outcomes: [Outcome], to url: URL) {
        try? AtomicFile.write(encoded(outcomes), to: url, mode: .replace)
    }

    public func encoded(_ outcomes: [Outcome]) -> Data {
        var writer = BinaryWriter()
        writer.bytes.reserveCapacity(data.count + 64 * 1024)
        writer.bytes += Self.magic
        writer.string(allowedSignersSHA256)
        // Signers are few: each is written once and named by its index; reused entries name the old ones.
        var signers = self.signers
        var signerIndex = Dictionary(signers.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for case .fresh(let entry) in outcomes {
            guard let signer = entry.signature?.signer, signerIndex[signer] == nil else { continue }
            signerIndex[signer] = signers.count
            signers.append(signer)
        }
        writer.count(signers.count)
        for signer in signers {
            writer.string(signer.principal)
            writer.string(signer.key.authorizedKeyText)
            writer.count(signer.allowedSignersLine)
        }
        writer.count(outcomes.count)
        data.withUnsafeBytes { raw in
            for outcome in outcomes {
                switch outcome {
                case .reused(let index):
                    let location = locations[index]
                    writer.bytes += raw[location.pathStart..<location.end]
                case .fresh(let entry):
                    writer.string(entry.path)
                    var body = BinaryWriter()
                    body.key(entry.key)
                    body.string(entry.sha256)
                    if let signature = entry.signature {
                        body.byte(1)
                        body.key(signature.key)
                        body.count(signerIndex[signature.signer]!)
                    } else {
                        body.byte(0)
                    }
                    body.record(entry.record)
                    let checksum = body.bytes.withUnsafeBufferPointer(Self.checksum)
                    body.integer(checksum)
                    writer.count(body.bytes.count)
                    writer.bytes += body.bytes
                }
            }
        }
        return Data(writer.bytes)
    }
}

// MARK: Binary form

/// Little-endian integers, length-prefixed UTF-8 strings, dates as the bits of their `Double`.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func count(_ value: Int) { integer(UInt64(value)) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes += utf8
        }
    }

    mutating func optionalString(_ value: String?) {
        if let value { byte(1); string(value) } else { byte(0) }
    }

    mutating func date(_ value: Date) { integer(value.timeIntervalSinceReferenceDate.bitPattern) }

    mutating func optionalDate(_ value: Date?) {
        if let value { byte(1); date(value) } else { byte(0) }
    }

    mutating func key(_ key: RecordCache.FileKey) {
        integer(key.device)
        integer(key.inode)
        for value in [key.size, key.modified, key.modifiedNanoseconds, key.changed, key.changedNanoseconds] { integer(UInt64(bitPattern: value)) }
    }

    mutating func strings(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }

    mutating func record(_ record: Record) {
        string(record.schemaVersion)
        string(record.id)
        string(record.checklist)
        optionalString(record.item)
        date(record.recordedAt)
        string(record.by)
        switch record.body {
        case .evidence(let body):
            byte(0)
            optionalString(body.note)
            strings(body.links)
            count(body.attachments.count)
            for attachment in body.attachments {
                string(attachment.name)
                integer(UInt64(bitPattern: attachment.size))
                string(attachment.mediaType)
                string(attachment.sha256)
                optionalString(attachment.extensionMediaType)
            }
            count(body.references.count)
            for reference in body.references {
                string(reference.url)
                string(reference.sha256)
            }
            date(body.effective)
            optionalDate(body.validUntil)
        case .revocation(let body):
            byte(1)
            string(body.target)
            string(body.reason)
        case .waiver(let body):
            byte(2)
            string(body.reason)
            string(body.approvedBy)
            date(body.until)
        case .notApplicable(let body):
            byte(3)
            string(body.reason)
            string(body.approvedBy)
        case .review(let body):
            byte(4)
            string(body.target)
            byte(body.decision == .accept ? 0 : 1)
            optionalString(body.comment)
        case .approval(let body):
            byte(5)
            string(body.target)
            string(body.sha256)
        case .import, .settings:
            preconditionFailure("import and settings records are not cached")
        }
    }
}

struct BinaryReader {
    struct Malformed: Error {}

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// The integer at `index`, or nil when fewer than 8 bytes are left.
    func peekInteger() -> UInt64? {
        var copy = self
        return try? copy.integer()
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func expect(_ expected: [UInt8]) throws {
        guard bytes.count - index >= expected.count, expected.indices.allSatisfy({ bytes[index + $0] == expected[$0] }) else { throw Malformed() }
        index += expected.count
    }

    mutating func byte() throws -> UInt8 {
        guard index < bytes.count else { throw Malformed() }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func integer() throws -> UInt64 {
        guard bytes.count - index >= 8, let base = bytes.baseAddress else { throw Malformed() }
        defer { index += 8 }
        return UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
    }

    /// A count of things each at least `minimumSize` bytes long: never more than what is left could hold.
    mutating func count(minimumSize: Int) throws -> Int {
        let value = try integer()
        guard value <= UInt64(bytes.count - index) / UInt64(max(1, minimumSize)) else { throw Malformed() }
        return Int(value)
    }

    /// Skips a string; returns where it ends.
    mutating func skipString() throws -> Int {
        index += try count(minimumSize: 1)
        return index
    }

    /// Compares bytes `a` of this buffer with `b` as UTF-8 strings compare (by bytes).
    func compare(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        compare(a, UnsafeBufferPointer(rebasing: bytes[b]))
    }

    func compare(_ a: Range<Int>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(bytes.baseAddress! + a.lowerBound, b.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    mutating func string() throws -> String {
        let length = try count(minimumSize: 1)
        let slice = UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])
        index += length
        // Nearly every field is ASCII, which needs no validation beyond that.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let value = String(validating: slice, as: UTF8.self) else { throw Malformed() }
        return value
    }

    mutating func optionalString() throws -> String? {
        switch try byte() {
        case 0: return nil
        case 1: return try string()
        default: throw Malformed()
        }
    }

    mutating func date() throws -> Date {
        let seconds = Double(bitPattern: try integer())
        guard seconds.isFinite else { throw Malformed() }
        return Date(timeIntervalSinceReferenceDate: seconds)
    }

    mutating func optionalDate() throws -> Date? {
        switch try byte() {
        case 0: return nil
        case 1: return try date()
        default: throw Malformed()
        }
    }

    mutating func key() throws -> RecordCache.FileKey {
        RecordCache.FileKey(device: try integer(), inode: try integer(), size: Int64(bitPattern: try integer()),
                            modified: Int64(bitPattern: try integer()), modifiedNanoseconds: Int64(bitPattern: try integer()),
                            changed: Int64(bitPattern: try integer()), changedNanoseconds: Int64(bitPattern: try integer()))
    }

    mutating func strings() throws -> [String] {
        var values: [String] = []
        for _ in 0..<(try count(minimumSize: 8)) { values.append(try string()) }
        return values
    }

    mutating func record() throws -> Record {
        let schemaVersion = try string()
        let id = try string()
        let checklist = try string()
        let item = try optionalString()
        let recordedAt = try date()
        let by = try string()
        let body: Record.Body
        switch try byte() {
        case 0:
            let note = try optionalString()
            let links = try strings()
            var attachments: [Attachment] = []
            for _ in 0..<(try count(minimumSize: 33)) {
                attachments.append(Attachment(name: try string(), size: Int64(bitPattern: try integer()), mediaType: try string(),
                                              sha256: try string(), extensionMediaType: try optionalString()))
            }
            var references: [ExternalReference] = []
            for _ in 0..<(try count(minimumSize: 16)) {
                references.append(ExternalReference(url: try string(), sha256: try string()))
            }
            body = .evidence(Evidence(note: note, links: links, attachments: attachments, references: references,
                                      effective: try date(), validUntil: try optionalDate()))
        case 1: body = .revocation(Revocation(target: try string(), reason: try string()))
        case 2: body = .waiver(Waiver(reason: try string(), approvedBy: try string(), until: try date()))
        case 3: body = .notApplicable(NotApplicable(reason: try string(), approvedBy: try string()))
        case 4:
            let target = try string()
            let decision: Review.Decision
            switch try byte() {
            case 0: decision = .accept
            case 1: decision = .reject
            default: throw Malformed()
            }
            body = .review(Review(target: target, decision: decision, comment: try optionalString()))
        case 5: body = .approval(Approval(target: try string(), sha256: try string()))
        default: throw Malformed()
        }
        var record = Record(id: id, checklist: checklist, item: item, recordedAt: recordedAt, by: by, body: body)
        record.schemaVersion = schemaVersion
        return record
    }
}
