public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A record as read from disk: where it is and the hash of its bytes (for the state digest).
public struct StoredRecord: Hashable, Sendable {
    public var record: Record
    /// Relative to the workspace root.
    public var path: String
    public var sha256: String

    public init(record: Record, path: String, sha256: String) {
        self.record = record
        self.path = path
        self.sha256 = sha256
    }
}

/// One checklist's folder: `Checklists/<id>/` with the checklist file, the source copy, the records
/// (`records/<ITEM>/…json`, `records/checklist/…json`) and the attachment store.
public struct ChecklistStore: Sendable {
    public let workspace: Workspace
    public let id: String

    public init(workspace: Workspace, id: String) {
        self.workspace = workspace
        self.id = id
    }

    public var directory: URL { workspace.checklistsDirectory.appendingPathComponent(id) }
    public var displayPath: String { "Checklists/\(id)" }
    public var checklistURL: URL { directory.appendingPathComponent(Checklist.fileName) }
    public var checklistDisplayPath: String { "\(displayPath)/\(Checklist.fileName)" }
    public var exists: Bool { FileManager.default.fileExists(atPath: checklistURL.path) }

    public var attachments: AttachmentStore {
        AttachmentStore(
            directory: directory.appendingPathComponent("attachments"),
            displayPath: "\(displayPath)/attachments",
            cacheURL: workspace.cacheDirectory.appendingPathComponent("attachment-cache-\(id).json"))
    }

    // MARK: Checklist file

    public func loadChecklist() throws -> Checklist {
        let data: Data
        do {
            data = try Data(contentsOf: checklistURL)
        } catch {
            throw StoreError.unreadable(path: checklistDisplayPath, detail: error.localizedDescription)
        }
        let checklist = try JSONCoding.decode(Checklist.self, from: data, path: checklistDisplayPath, decoder: Self.checklistDecoder)
        if let major = Int(checklist.schemaVersion.split(separator: ".").first ?? ""), major > Record.supportedMajor {
            throw StoreError.newerSchema(path: checklistDisplayPath, version: checklist.schemaVersion)
        }
        return checklist
    }

    private static let checklistDecoder: JSONDecoder = JSONCoding.decoder()

    public func saveChecklist(_ checklist: Checklist) throws {
        try AtomicFile.write(try JSONCoding.encode(checklist), to: checklistURL, mode: .replace, displayPath: checklistDisplayPath)
    }

    // MARK: Records

    /// Where a record goes: under its item, or `records/checklist/` for import and settings records.
    public func relativePath(for record: Record) -> String {
        "records/\(record.item ?? "checklist")/\(record.id).json"
    }

    /// Writes a new record; never replaces one. Returns its path relative to the workspace.
    @discardableResult
    public func write(_ record: Record) throws -> String {
        let relative = relativePath(for: record)
        let display = "\(displayPath)/\(relative)"
        let data: Data
        do {
            data = try JSONCoding.encode(record)
        } catch {
            throw StoreError.writeFailed(path: display, detail: "cannot encode: \(error)")
        }
        try AtomicFile.write(data, to: directory.appendingPathComponent(relative), mode: .createNew, displayPath: display)
        return display
    }

    /// Every `*.json` file in the checklist's tree other than the checklist file, decoded on every core.
    /// Files and folders whose names start with `.` (temporary files) and the attachment store are not read.
    public func loadRecords() throws -> [StoredRecord] {
        let paths = listRecordFiles()
        if paths.isEmpty { return [] }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, paths.count / 64 + 1))
        let chunk = (paths.count + workers - 1) / workers
        let base = directory.path
        let display = displayPath
        let slots = Parallel.map(workers) { worker -> Result<[StoredRecord], any Error> in
            let decoder = JSONCoding.decoder()
            var output: [StoredRecord] = []
            let range = (worker * chunk)..<min(paths.count, (worker + 1) * chunk)
            output.reserveCapacity(range.count)
            do {
                for relative in paths[range] {
                    let shown = "\(display)/\(relative)"
                    guard let data = Self.readFile(base + "/" + relative) else {
                        throw StoreError.unreadable(path: shown, detail: "permission denied, or removed while reading")
                    }
                    // The common record types are read directly; anything else, and every diagnostic, by JSONDecoder.
                    let record = try FastRecordReader.read(data) ?? JSONCoding.decode(Record.self, from: data, path: shown, decoder: decoder)
                    output.append(StoredRecord(record: record, path: shown, sha256: FileHasher.sha256(of: data)))
                }
                return .success(output)
            } catch {
                return .failure(error)
            }
        }
        var records: [StoredRecord] = []
        records.reserveCapacity(paths.count)
        for slot in slots { records.append(contentsOf: try slot.get()) }
        try checkUniqueIDs(records)
        return records
    }

    /// A small file's bytes, read with one open, fstat and read.
    static func readFile(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var data = Data(count: Int(info.st_size))
        var total = 0
        let complete = data.withUnsafeMutableBytes { buffer -> Bool in
            while total < buffer.count {
                let count = read(fd, buffer.baseAddress! + total, buffer.count - total)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                total += count
            }
            return true
        }
        return complete ? data : nil
    }

    private func checkUniqueIDs(_ records: [StoredRecord]) throws {
        var seen: [String: String] = [:]
        for stored in records {
            if let other = seen.updateValue(stored.path, forKey: stored.record.id) {
                throw StoreError.malformed(path: stored.path, line: nil, column: nil,
                                           detail: "record ID \"\(stored.record.id)\" is also used by \(other); give one of them a new \"id\" (and the same file name)")
            }
            if stored.record.checklist != id {
                throw StoreError.malformed(path: stored.path, line: nil, column: nil,
                                           detail: "\"checklist\" is \"\(stored.record.checklist)\" but the file is in checklist \"\(id)\"")
            }
        }
    }

    /// Relative paths of the record files, sorted.
    func listRecordFiles() -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? directory.path : directory.path + "/" + relative
            guard let handle = opendir(absolute) else { return }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name.hasPrefix(".") { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) || entry.pointee.d_type == UInt8(DT_LNK) {
                    var info = stat()
                    isDirectory = stat(absolute + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                }
                if isDirectory {
                    if relative.isEmpty && name == "attachments" { continue }
                    walk(child)
                } else if name.hasSuffix(".json") && !(relative.isEmpty && name == Checklist.fileName) {
                    result.append(child)
                }
            }
        }
        walk("")
        return result.sorted()
    }

    /// Serializes writers of the checklist file (import, settings) across processes.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        let lockDirectory = workspace.cacheDirectory
        try? FileManager.default.createDirectory(at: lockDirectory, withIntermediateDirectories: true)
        let path = lockDirectory.appendingPathComponent("\(id).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
