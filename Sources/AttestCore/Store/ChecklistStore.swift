public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record as read from disk: where it is and the hash of its bytes (for the state digest). A class, shared
/// rather than copied: evaluation passes 10^5 of them through sorts and dictionaries.
public final class StoredRecord: Hashable, Sendable {
    public let record: Record
    /// Relative to the workspace root.
    public let path: String
    public let sha256: String
    /// Its detached signature, as judged when it was read.
    public let signature: RecordSignature

    public init(record: Record, path: String, sha256: String, signature: RecordSignature = .unsigned) {
        self.record = record
        self.path = path
        self.sha256 = sha256
        self.signature = signature
    }

    public static func == (a: StoredRecord, b: StoredRecord) -> Bool {
        a === b || (a.record == b.record && a.path == b.path && a.sha256 == b.sha256 && a.signature == b.signature)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(sha256)
    }
}

/// The records read from a checklist's folder, and every file that could not be read as one (each an input
/// error naming the file): `verify` reports them all, other commands stop at them.
public struct RecordSet: Sendable {
    public var records: [StoredRecord]
    public var errors: [StoreError]
    /// `.sig` files whose record is not there: ignored, listed by `verify`.
    public var orphanSignatures: [String] = []

    public init(records: [StoredRecord] = [], errors: [StoreError] = []) {
        self.records = records
        self.errors = errors
    }

    /// The records, or the first error when a file could not be read.
    public func checked() throws -> [StoredRecord] {
        if let error = errors.first { throw error }
        return records
    }
}

/// One checklist's folder, `Checklists/<id>/`: the records (`records/<ITEM>/<id>.json`, import and settings
/// records in `records/checklist/`), the sources (`source/sha256/<hash>`) and the attachment store.
/// Nothing else in it is read, and nothing is built from a name that did not pass its `Identifier` check.
public struct ChecklistStore: Sendable {
    public let workspace: Workspace
    public let id: String

    /// The folder of import and settings records.
    public static let checklistFolder = "checklist"

    public init(workspace: Workspace, id: String) {
        precondition(Identifier.isChecklistID(id), "checklist IDs are validated where they enter")
        self.workspace = workspace
        self.id = id
    }

    public var directory: URL { workspace.checklistsDirectory.appendingPathComponent(id) }
    public var displayPath: String { "Checklists/\(id)" }
    var recordsPath: String { directory.path + "/records" }

    /// A checklist exists once its first import record's folder does.
    public var exists: Bool { SafeFile.kind(of: recordsPath + "/" + Self.checklistFolder) == .directory }

    public var attachments: AttachmentStore {
        AttachmentStore(
            directory: directory.appendingPathComponent("attachments"),
            displayPath: "\(displayPath)/attachments",
            cacheURL: workspace.cacheDirectory.appendingPathComponent("attachments-\(id).cache"))
    }

    // MARK: Sources

    /// Where a source is stored: `source/sha256/<hash>`, relative to the checklist folder.
    public static func sourceFile(sha256: String) -> String {
        precondition(Identifier.isSHA256(sha256))
        return "source/sha256/\(sha256)"
    }

    /// Stores a matrix byte for byte under its SHA-256; never overwrites (a file of that name is the same
    /// content, or `verify` reports it altered). Returns the path relative to the checklist folder.
    public func storeSource(_ data: Data) throws -> String {
        let file = Self.sourceFile(sha256: FileHasher.sha256(of: data))
        try workspace.requireRealDirectories(below: directory, for: file)
        do {
            try AtomicFile.write(data, to: directory.appendingPathComponent(file), mode: .createNew,
                                 displayPath: "\(displayPath)/\(file)", temporaryDirectory: workspace.temporaryDirectory)
        } catch StoreError.recordExists {
            // Stored already: content-addressed.
        }
        return file
    }

    /// The stored bytes of an import's source: `source/sha256/<hash>`, or a landed `source/<name>`.
    public func loadSource(_ source: SourceMatrix) throws -> Data {
        let display = "\(displayPath)/\(source.file)"
        guard Self.isSourceFile(source.file) else {
            throw StoreError.malformed(path: display, line: nil, column: nil,
                                       detail: "\"source.file\" must be source/sha256/<hash> or source/<name>, not a path elsewhere")
        }
        try workspace.requireRealDirectories(below: directory, for: source.file)
        return try SafeFile.read(directory.path + "/" + source.file, display: display, limit: SafeFile.Limit.matrix, what: "source matrix")
    }

    /// `source/sha256/<hash>`, or (written by attest 0.1) `source/<name>` with a plain name.
    static func isSourceFile(_ file: String) -> Bool {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3 { return parts[0] == "source" && parts[1] == "sha256" && Identifier.isSHA256(String(parts[2])) }
        return parts.count == 2 && parts[0] == "source" && !parts[1].isEmpty && !parts[1].hasPrefix(".")
    }

    // MARK: Writing records

    /// Where a record goes: under its item, or `records/checklist/` for import and settings records.
    public func relativePath(for record: Record) throws -> String {
        let folder = record.item ?? Self.checklistFolder
        guard folder == Self.checklistFolder || Identifier.isItemID(folder) else {
            throw StoreError.invalidInput("\"\(folder)\" is not an item ID (such as ACCS-07); nothing was written")
        }
        guard Identifier.isRecordID(record.id) else {
            throw StoreError.invalidInput("\"\(record.id)\" is not a record ID; nothing was written")
        }
        return "records/\(folder)/\(record.id).json"
    }

    /// Writes a new record; never replaces one. The bytes are read back and checked as any reader would
    /// before they are linked into place; with a `signer`, the signature is written beside it first.
    /// Returns the path relative to the workspace.
    @discardableResult
    public func write(_ record: Record, signer: RecordSigner? = nil) throws -> String {
        let relative = try relativePath(for: record)
        let display = "\(displayPath)/\(relative)"
        let data = RecordWriter.encode(record)
        // attest never writes what it cannot read back.
        let limit = record.item == nil ? SafeFile.Limit.importRecord : SafeFile.Limit.record
        guard data.count <= limit else {
            throw StoreError.invalidInput("the record would be \(data.count) bytes, over the limit of \(ByteCount.describe(limit)) for a record; "
                + "attach long text as a file (--file) instead; nothing was written")
        }
        workspace.removeStaleTemporaryFiles()
        let reread = try FastRecordReader.read(data) ?? JSONCoding.decode(Record.self, from: data, path: display)
        // An import record's table is freed by the exit, not row by row.
        if data.count > SafeFile.Limit.record { ProcessLifetime.keep((data, reread)) }
        try RecordValidator.check(reread, path: display, folder: record.item ?? Self.checklistFolder, fileName: "\(record.id).json", checklistID: id)
        try workspace.requireRealDirectories(below: directory, for: relative)
        let url = directory.appendingPathComponent(relative)
        if let signer {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try signer.writeSignature(of: data, at: url, display: display, as: record.by, at: record.recordedAt, workspace: workspace)
        }
        do {
            try AtomicFile.write(data, to: url, mode: .createNew, displayPath: display, temporaryDirectory: workspace.temporaryDirectory)
        } catch {
            if signer != nil { unlink(RecordSignature.file(for: url.path)) }
            throw error
        }
        return display
    }

    // MARK: Reading records

    /// Which records to read: writing commands read only what they need, so one bad record never blocks a tick.
    public enum Scope: Sendable {
        case all
        /// `records/checklist/`: import and settings records.
        case checklistRecords
    }

    /// Where the record cache of this checklist lives.
    var recordCacheURL: URL { workspace.cacheDirectory.appendingPathComponent("records-\(id).cache") }

    /// Every record in scope, decoded on every core and checked against its schema's rules and its place;
    /// with `signatures`, each record's `.sig` is judged on the bytes just read. With `cached`, files whose
    /// `stat` is unchanged since the last read are taken from the record cache (`RecordCache`), which is
    /// then brought up to date; `verify` reads without it.
    public func loadRecords(_ scope: Scope = .all, signatures: SignatureContext? = nil, cached: Bool = false) -> RecordSet {
        var errors: [StoreError] = []
        var orphans: [String] = []
        let context = signatures ?? SignatureContext(allowedSigners: AllowedSigners(entries: []), allowedSignersSHA256: nil)
        // The record cache (tens of megabytes at 10^5 records) is read while the folders are listed.
        let cacheLoad = cached && scope == .all
            ? Background { [recordCacheURL] in RecordCache.load(recordCacheURL, allowedSignersSHA256: context.allowedSignersSHA256 ?? "") } : nil
        let paths = listRecordFiles(scope, errors: &errors, orphanSignatures: &orphans)
        let cache = paths.isEmpty ? nil : cacheLoad?.value
        let now = RecordCache.FileKey.now()
        // A record's ID is its file name's stem (`RecordValidator`): IDs shared by records in several folders
        // are found among the names, beside the reading.
        let sharedNames = Background { Self.namesInSeveralFolders(paths) }
        // A few runs of files a core, handed out as cores come free: two halves left one core idle while the
        // other finished its half.
        let runs = Parallel.ranges(paths.count, runs: min(ProcessInfo.processInfo.activeProcessorCount * 32, paths.count / 256 + 1))
        let base = directory.path
        let display = displayPath
        let checklistID = id
        let slots = Parallel.map(runs.count) { run -> Slot in
            var decoder: JSONDecoder?  // for records the fast reader leaves: made when one comes
            var slot = Slot()
            let range = runs[run]
            slot.records.records.reserveCapacity(range.count)
            var cursor = cache?.lowerBound(paths[range.lowerBound].relative) ?? 0
            // The folder being read, open: its files are looked up by name, not by their whole path.
            var folderDescriptor: (folder: String, descriptor: Int32)?
            defer { if let folderDescriptor, folderDescriptor.descriptor >= 0 { close(folderDescriptor.descriptor) } }
            for file in paths[range] {
                let relative = file.relative, folder = file.folder, fileName = file.name
                let shown = display + "/" + relative
                let isSigned = file.signed
                do {
                    // The stat before the read: a write after it changes the file's change time, so the entry
                    // made from what is read below can only be too old to match, never wrong.
                    var key: RecordCache.FileKey?, signatureKey: RecordCache.FileKey?
                    if cache != nil {
                        if folderDescriptor?.folder != folder {
                            if let folderDescriptor, folderDescriptor.descriptor >= 0 { close(folderDescriptor.descriptor) }
                            folderDescriptor = (folder, open(base + "/records/" + folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
                        }
                        if let descriptor = folderDescriptor?.descriptor, descriptor >= 0 {
                            key = RecordCache.FileKey(directory: descriptor, name: fileName)
                            if isSigned { signatureKey = RecordCache.FileKey(directory: descriptor, name: fileName + ".sig") }
                        }
                    }
                    if let cache, let key, let index = cache.index(of: relative, from: &cursor),
                       let entry = cache.entry(at: index, path: relative, key: key, signatureKey: signatureKey) {
                        try RecordValidator.check(entry.record, path: shown, folder: folder, fileName: fileName, checklistID: checklistID)
                        slot.records.records.append(StoredRecord(record: entry.record, path: shown, sha256: entry.sha256,
                                                                 signature: entry.signature.map { .valid($0.signer) } ?? .unsigned))
                        slot.outcomes.append(.reused(index))
                        continue
                    }
                    let limit = folder == Self.checklistFolder ? SafeFile.Limit.importRecord : SafeFile.Limit.record
                    let data = try SafeFile.read(base + "/" + relative, display: shown, limit: limit, what: "record")
                    // The common record types are read directly; anything else, and every diagnostic, by JSONDecoder.
                    let record = try FastRecordReader.read(data) ?? {
                        if decoder == nil { decoder = JSONCoding.decoder() }
                        return try JSONCoding.decode(Record.self, from: data, path: shown, decoder: decoder!)
                    }()
                    try RecordValidator.check(record, path: shown, folder: folder, fileName: fileName, checklistID: checklistID)
                    let sha256 = FileHasher.sha256(of: data)
                    var signature = RecordSignature.unsigned
                    if isSigned {
                        let bytes = try SafeFile.read(base + "/" + RecordSignature.file(for: relative), display: RecordSignature.file(for: shown),
                                                      limit: SSHSignature.maximumArmoredSize, what: "signature")
                        let (verdict, entry) = context.judge(record: record, bytes: data, recordSHA256: sha256, signature: bytes)
                        signature = verdict
                        if let entry { slot.learned.append(entry) }
                    }
                    slot.records.records.append(StoredRecord(record: record, path: shown, sha256: sha256, signature: signature))
                    // Cached: item records (not import or settings records) whose files have settled, and only
                    // valid signature verdicts.
                    if let key, folder != Self.checklistFolder, !key.isRacy(now: now), record.type != .import, record.type != .settings {
                        switch (signature, signatureKey) {
                        case (.unsigned, nil):
                            slot.outcomes.append(.fresh(RecordCache.Entry(path: relative, key: key, sha256: sha256, record: record, signature: nil)))
                        case (.valid(let signer), let signatureKey?) where !signatureKey.isRacy(now: now):
                            slot.outcomes.append(.fresh(RecordCache.Entry(path: relative, key: key, sha256: sha256, record: record,
                                                                          signature: (signatureKey, signer))))
                        default: break
                        }
                    }
                } catch let error as StoreError {
                    slot.records.errors.append(error)
                } catch {
                    slot.records.errors.append(.malformed(path: shown, line: nil, column: nil, detail: "\(error)"))
                }
            }
            return slot
        }
        var result = RecordSet(errors: errors)
        result.records.reserveCapacity(paths.count)
        var learned: [SignatureCache.Entry] = []
        for slot in slots {
            result.records.append(contentsOf: slot.records.records)
            result.errors.append(contentsOf: slot.records.errors)
            learned += slot.learned
        }
        context.remember(learned)
        // Written again when a file was read, changed or went away: the next run reads none of those. (The
        // outcomes are gathered only then: copying 10^5 of them took longer than deciding.)
        let outcomes = slots.lazy.map(\.outcomes)
        if let cache, outcomes.reduce(0, { $0 + $1.count }) != cache.count
            || outcomes.contains(where: { $0.contains { if case .fresh = $0 { true } else { false } } }),
           (try? workspace.cacheDirectoryCreated()) != nil {
            cache.save(Array(outcomes.joined()), to: recordCacheURL)
        }
        result.errors += duplicateIDs(result.records, sharing: sharedNames.value)
        result.orphanSignatures = orphans.map { "\(displayPath)/\($0)" }
        // The file list, the cache and the workers' leftovers are freed beside the evaluation that comes next.
        Parallel.release((consume paths, consume slots, consume cache, consume cacheLoad))
        return result
    }

    /// What one reading worker found.
    private struct Slot: Sendable {
        var records = RecordSet()
        var learned: [SignatureCache.Entry] = []
        var outcomes: [RecordCache.Outcome] = []
    }

    /// The file names that lie in more than one folder. Compared by hash first: a set of 10^5 names would
    /// retain each name, while the threads reading the records use the same names.
    private static func namesInSeveralFolders(_ files: [RecordFile]) -> Set<String> {
        var seen = Set<Int>(minimumCapacity: files.count)
        var repeated = Set<Int>()
        for index in files.indices {
            let hash = files[index].name.hashValue
            if !seen.insert(hash).inserted { repeated.insert(hash) }
        }
        guard !repeated.isEmpty else { return [] }
        var counts: [String: Int] = [:]
        for index in files.indices where repeated.contains(files[index].name.hashValue) { counts[files[index].name, default: 0] += 1 }
        return Set(counts.filter { $0.value > 1 }.keys)
    }

    /// Records whose ID another record has too: only among those whose file name several folders hold.
    private func duplicateIDs(_ records: [StoredRecord], sharing names: Set<String>) -> [StoreError] {
        guard !names.isEmpty else { return [] }
        let records = records.filter { names.contains($0.record.id + ".json") }
        var seen = Set<String>()
        var errors: [StoreError] = []
        for stored in records where !seen.insert(stored.record.id).inserted {
            let other = records.first { $0.record.id == stored.record.id }!
            errors.append(.malformed(path: stored.path, line: nil, column: nil,
                                     detail: "record ID \"\(stored.record.id)\" is also used by \(other.path); give one of them a new \"id\" (and the same file name)"))
        }
        return errors
    }

    /// Record files (`records/<folder>/<name>.json`) relative to the checklist folder, sorted. Symbolic links
    /// are never followed; anything but a real folder or regular file where records lie is an error, and so
    /// is a record outside an item folder. Names starting with `.` are never read.
    func listRecordFiles(_ scope: Scope, errors: inout [StoreError], orphanSignatures: inout [String]) -> [RecordFile] {
        var result: [RecordFile] = []
        let recordsPath = self.recordsPath
        let folders: [String]
        switch scope {
        case .all:
            switch SafeFile.kind(of: recordsPath) {
            case nil: return []
            case .directory?: break
            case let kind?:
                errors.append(.notRegularFile(path: "\(displayPath)/records", kind: "\(kind.rawValue), not a folder"))
                return []
            }
            var names: [String] = []
            for (name, kind) in Self.entries(of: recordsPath) {
                var shown: String { "\(displayPath)/records/\(name)" }
                switch kind {
                case .directory: names.append(name)
                case .regular where name.hasSuffix(".json"):
                    errors.append(.malformed(path: shown, line: nil, column: nil,
                                             detail: "a record lies in the folder of its item (records/ITEM/) or in records/checklist/, not in records/ itself"))
                case .regular: continue
                default: errors.append(.notRegularFile(path: shown, kind: kind.rawValue))
                }
            }
            folders = names
        case .checklistRecords:
            folders = [Self.checklistFolder]
        }
        // A thousand item folders at scale: listed on every core, each core a run of them in order.
        let sorted = folders.sorted()
        let runs = Parallel.ranges(sorted.count, runs: min(ProcessInfo.processInfo.activeProcessorCount, sorted.count / 64))
        let parts = Parallel.map(runs.count) { run in
            var part = FolderListing()
            for folder in sorted[runs[run]] {
                listFolder(folder, into: &part)
            }
            return part
        }
        for part in parts {
            result += part.files
            errors += part.errors
            orphanSignatures += part.orphanSignatures
        }
        // Sorted folder by folder, which is the order of the whole paths unless a folder's name continues
        // with a byte below "/" (no item ID does).
        if zip(result, result.dropFirst()).contains(where: { !($0.relative < $1.relative) }) {
            result.sort { $0.relative < $1.relative }
        }
        return result
    }

    /// What listing some record folders found.
    private struct FolderListing: Sendable {
        var files: [RecordFile] = []
        var errors: [StoreError] = []
        var orphanSignatures: [String] = []
    }

    /// The record files of `records/<folder>/`, sorted, with their signatures, into `part`.
    private func listFolder(_ folder: String, into part: inout FolderListing) {
        let absolute = recordsPath + "/" + folder
        let shownFolder = "\(displayPath)/records/\(folder)"
        switch SafeFile.kind(of: absolute) {
        case nil: return
        case .directory?: break
        case let kind?:
            part.errors.append(.notRegularFile(path: shownFolder, kind: "\(kind.rawValue), not a folder"))
            return
        }
        let first = part.files.count
        var signatures: [String] = []
        var names: [String] = []
        for (name, kind) in Self.entries(of: absolute) {
            var shown: String { "\(shownFolder)/\(name)" }
            switch kind {
            case .regular where Self.hasSuffix(name, ".json"): names.append(name)
            case .regular where Self.hasSuffix(name, ".json.sig"): signatures.append(String(name.dropLast(4)))
            case .regular: continue  // anything else is not a record
            case .directory:
                part.errors.append(.malformed(path: shown, line: nil, column: nil,
                                              detail: "a folder inside an item's records folder; records lie directly in records/ITEM/"))
            default:
                if name.hasSuffix(".json") || name.hasSuffix(".sig") { part.errors.append(.notRegularFile(path: shown, kind: kind.rawValue)) }
            }
        }
        names.sort()
        part.files.append(contentsOf: names.map { RecordFile(folder: folder, name: $0) })
        // Each `.sig` goes with the record of its name in the same folder; one without it is an orphan.
        if !signatures.isEmpty {
            var positions: [String: Int] = [:]
            for index in first..<part.files.count { positions[part.files[index].name] = index }
            for record in signatures.sorted() {
                if let index = positions[record] { part.files[index].signed = true } else { part.orphanSignatures.append("records/\(folder)/\(record).sig") }
            }
        }
    }

    /// `String.hasSuffix` on bytes: it runs twice for each of 10^5 file names.
    private static func hasSuffix(_ name: String, _ suffix: StaticString) -> Bool {
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        return name.utf8.count >= tail.count && name.utf8.suffix(tail.count).elementsEqual(tail)
    }

    /// A record file found in a records folder.
    struct RecordFile: Sendable {
        var folder: String
        var name: String
        /// `records/<folder>/<name>`, relative to the checklist folder.
        var relative: String
        /// A `<name>.sig` lies beside it.
        var signed = false

        init(folder: String, name: String) {
            self.folder = folder
            self.name = name
            relative = "records/" + folder + "/" + name
        }
    }

    /// A folder's entries (names not starting with `.`) with their kinds as `lstat` sees them.
    static func entries(of path: String) -> [(name: String, kind: SafeFile.Kind)] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var result: [(String, SafeFile.Kind)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            let kind: SafeFile.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_FIFO): kind = .fifo
            case Int32(DT_CHR): kind = .characterDevice
            case Int32(DT_BLK): kind = .blockDevice
            case Int32(DT_SOCK): kind = .socket
            default: kind = SafeFile.kind(of: path + "/" + name) ?? .other
            }
            result.append((name, kind))
        }
        return result
    }

    /// Serializes importers across processes (two imports at once would fork the item table).
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        let lockDirectory = try workspace.cacheDirectoryCreated()
        let path = lockDirectory.appendingPathComponent("\(id).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
