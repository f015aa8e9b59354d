public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checklist's content-addressed store: `attachments/sha256/ab/abcdef…`, one file per content,
/// stored once however often it is attached, with no extension (so that no attachment is ever read as a record).
public struct AttachmentStore: Sendable {
    public enum Check: Hashable, Sendable {
        case intact
        case missing
        /// The stored file's hash (or size) differs from the one recorded.
        case altered(actual: String)
        /// Where the stored file should be there is a symbolic link, a FIFO, a device or a folder (`kind`
        /// says which: "a symbolic link"), which attest never reads.
        case notRegularFile(kind: String)

        /// In words: "missing", "altered (now sha256 …)", "not a regular file (a symbolic link)".
        public var problem: String {
            switch self {
            case .intact: "intact"
            case .missing: "missing"
            case .altered(let actual): "altered (now sha256 \(actual))"
            case .notRegularFile(let kind): "not a regular file (\(kind))"
            }
        }
    }

    public let directory: URL
    /// How errors name the store (relative to the workspace).
    public let displayPath: String
    /// Where the stat cache lives (`.attest/…`), or nil for none.
    let cacheURL: URL?
    /// Where files being stored are written first: the workspace's `.attest/tmp/`, on the same file system as
    /// the store (so that a stored file appears by `link`), git-ignored, never under `Checklists/`.
    let temporaryDirectory: URL

    /// `temporaryDirectory` defaults to `tmp/` beside the stat cache, else `.attest/tmp/` of the workspace
    /// that holds `directory` (`<root>/Checklists/<id>/attachments`).
    public init(directory: URL, displayPath: String, cacheURL: URL?, temporaryDirectory: URL? = nil) {
        self.directory = directory
        self.displayPath = displayPath
        self.cacheURL = cacheURL
        self.temporaryDirectory = temporaryDirectory
            ?? cacheURL?.deletingLastPathComponent().appendingPathComponent("tmp")
            ?? directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".attest/tmp")
    }

    public func url(for sha256: String) -> URL {
        directory.appendingPathComponent("sha256/\(sha256.prefix(2))/\(sha256)")
    }

    public func relativePath(for sha256: String) -> String { "\(displayPath)/sha256/\(sha256.prefix(2))/\(sha256)" }

    /// Copies a file into the store by content. `path` is one a person gave (`--file`): a symbolic link is
    /// followed and its content copied, but what it resolves to must be a regular file, checked on the open
    /// descriptor before any byte is read, so that a FIFO cannot hang attest and `/dev/zero` cannot fill the
    /// disk. `displayName` is how errors name the source. `created` is false when the content was stored already.
    public func store(fileAt path: String, displayName: String) throws -> (sha256: String, size: Int64, created: Bool) {
        let input = try Self.openSource(path, displayName: displayName)
        defer { close(input) }
        let temporaryFolder = try makeTemporaryDirectory()
        let temporary = temporaryFolder.appendingPathComponent("attachment.\(getpid()).\(UInt32.random(in: .min ... .max))").path
        let registration = Interruption.removeOnSignal(temporary)
        defer {
            unlink(temporary)
            Interruption.forget(registration)
        }
        let result: (sha256: String, size: Int64)
        do {
            result = try FileHasher.sha256(descriptor: input, copyTo: temporary)
        } catch let error as PosixError where error.call == "read" {
            throw StoreError.unreadable(path: displayName, detail: error.description)
        } catch {
            throw StoreError.writeFailed(path: displayPath, detail: "\(error)")
        }
        let final = url(for: result.sha256)
        // Every folder down to the stored file must be real: a link there would carry the copy elsewhere.
        var folder = directory
        for part in ["sha256", String(result.sha256.prefix(2))] {
            folder.appendPathComponent(part)
            if let kind = SafeFile.kind(of: folder.path), kind != .directory {
                throw StoreError.notRegularFile(path: "\(displayPath)/\(folder.path.dropFirst(directory.path.count + 1))",
                                                kind: "\(kind.rawValue) where a folder of the attachment store belongs")
            }
        }
        do {
            try FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.writeFailed(path: relativePath(for: result.sha256), detail: error.localizedDescription)
        }
        if link(temporary, final.path) != 0 {
            guard errno == EEXIST else {
                throw StoreError.writeFailed(path: relativePath(for: result.sha256), detail: PosixError(call: "link", code: errno).description)
            }
            // A stored copy that was altered (or replaced by a link or a FIFO) is repaired by storing the original again.
            if checkOne(result.sha256, path: url(for: result.sha256).path, cached: nil).0 != .intact {
                guard rename(temporary, final.path) == 0 else {
                    throw StoreError.writeFailed(path: relativePath(for: result.sha256), detail: PosixError(call: "rename", code: errno).description)
                }
            }
            return (result.sha256, result.size, false)
        }
        return (result.sha256, result.size, true)
    }

    /// Opens a file to attach, following links, and returns its descriptor (the caller closes it): a regular
    /// file, or an error that says what it is instead ("not a regular file (a FIFO)", "is a directory").
    public static func openSource(_ path: String, displayName: String) throws -> Int32 {
        do {
            return try SafeFile.openRegular(path, display: displayName.visible, followingLinks: true, what: "file to attach").descriptor
        } catch StoreError.unreadable(_, let detail) where detail == SafeFile.describe(errno: ENOENT) {
            throw StoreError.invalidInput("\(displayName.visible): no such file; check the path given to --file")
        } catch StoreError.notRegularFile(let shown, let kind) where kind == SafeFile.Kind.directory.rawValue {
            throw StoreError.invalidInput("\(shown): is a directory, not a regular file; attach files one by one, or an archive of the folder")
        }
    }

    /// `.attest/tmp/`, created on demand; refused when `.attest` or `.attest/tmp` is there but not a real
    /// folder (a symbolic link could send the copy anywhere).
    private func makeTemporaryDirectory() throws -> URL {
        try Workspace.realDirectory(temporaryDirectory.deletingLastPathComponent(), display: ".attest")
        try Workspace.realDirectory(temporaryDirectory, display: ".attest/tmp")
        return temporaryDirectory
    }

    /// Re-hashes every stored file named by `hashes` (what `verify` does). `progress` is called with the
    /// number of files done, from any thread.
    public func verify(_ hashes: Set<String>, progress: (@Sendable (Int) -> Void)? = nil) -> [String: Check] {
        check(hashes, trustCache: false, progress: progress)
    }

    /// Checks stored files, re-hashing only those whose size, mtime, ctime or inode changed since
    /// they were last hashed (the stat cache under `.attest/`, which is never evidence).
    public func check(_ hashes: Set<String>, trustCache: Bool = true, progress: (@Sendable (Int) -> Void)? = nil) -> [String: Check] {
        var cache = trustCache ? loadCache() : [:]
        let list = Array(hashes)
        let snapshot = cache
        let finished = Locked(0)
        let base = directory.path + "/sha256/"
        // In a few chunks a core, not a task per file: at 10^4 files the handing out would cost more than the stat.
        let runs = Parallel.ranges(list.count, runs: min(list.count / 256 + 1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let results = Parallel.map(runs.count) { run in
            runs[run].map { index in
                let hash = list[index]
                let result = checkOne(hash, path: base + hash.prefix(2) + "/" + hash, cached: snapshot[hash])
                if let progress { progress(finished.withLock { count in count += 1; return count }) }
                return result
            }
        }.flatMap { $0 }
        var output: [String: Check] = [:]
        var changed = false
        for (index, hash) in list.enumerated() {
            let (result, entry) = results[index]
            output[hash] = result
            if let entry, cache[hash] != entry {
                cache[hash] = entry
                changed = true
            }
        }
        if changed { saveCache(cache) }
        return output
    }

    struct CacheEntry: Codable, Hashable, Sendable {
        var size: Int64
        var mtime: Int64
        var ctime: Int64
        var inode: UInt64
    }

    private func checkOne(_ hash: String, path: String, cached: CacheEntry?) -> (Check, CacheEntry?) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return (.missing, nil) }
        let kind = SafeFile.Kind(mode: info.st_mode)
        guard kind == .regular else { return (.notRegularFile(kind: kind.rawValue), nil) }
        let entry = CacheEntry(
            size: Int64(info.st_size),
            mtime: Platform.changeTimes(info).modified,
            ctime: Platform.changeTimes(info).changed,
            inode: UInt64(info.st_ino))
        if let cached, cached == entry { return (.intact, entry) }
        // Opened without following links and without blocking, in case it was swapped since the lstat.
        guard let opened = try? SafeFile.openRegular(path, display: path, followingLinks: false) else { return (.missing, nil) }
        defer { close(opened.descriptor) }
        guard let actual = try? FileHasher.sha256(descriptor: opened.descriptor).sha256 else { return (.missing, nil) }
        // A file changed in the last two seconds is hashed again next time: a write in the same tick of the
        // file system's clock could leave its stat as it is (as for the record cache).
        let settled = max(entry.mtime, entry.ctime) < RecordCache.FileKey.now() - 2_000_000_000
        return actual == hash ? (.intact, settled ? entry : nil) : (.altered(actual: actual), nil)
    }

    /// The stat cache: a line per file, `<sha256> <size> <mtime ns> <ctime ns> <inode>` after a header line.
    static let cacheHeader = "attest attachment stat cache 2"

    private func loadCache() -> [String: CacheEntry] {
        guard let cacheURL, let data = SafeFile.readPrivateCache(cacheURL.path) else { return [:] }
        return Self.parseCache(data)
    }

    /// The entries of a stat cache file; nothing at all when any line is not as `saveCache` writes it. Read in
    /// place, a line and a field at a time (10^4 lines at scale: splitting them into `Data` slices and strings
    /// first took 70 ms).
    static func parseCache(_ data: Data) -> [String: CacheEntry] {
        data.withUnsafeBytes { raw -> [String: CacheEntry] in
            let bytes = raw.bindMemory(to: UInt8.self)
            let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
            let firstEnd = bytes.firstIndex(of: newline) ?? bytes.count
            guard String(decoding: UnsafeBufferPointer(rebasing: bytes[..<firstEnd]), as: UTF8.self) == cacheHeader else { return [:] }
            var cache: [String: CacheEntry] = [:]
            cache.reserveCapacity(bytes.count / 100)
            var start = firstEnd + 1
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
                defer { start = end + 1 }
                guard end > start else { continue }  // an empty line
                // Exactly five fields, split at every space (two spaces make an empty field, which no number is).
                var fields: [Range<Int>] = []
                var fieldStart = start
                for index in start..<end where bytes[index] == space {
                    fields.append(fieldStart..<index)
                    fieldStart = index + 1
                    if fields.count == 5 { return [:] }
                }
                fields.append(fieldStart..<end)
                guard fields.count == 5 else { return [:] }
                func text(_ field: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self) }
                let hash = text(fields[0])
                guard Identifier.isSHA256(hash), let size = Int64(text(fields[1])), let mtime = Int64(text(fields[2])),
                      let ctime = Int64(text(fields[3])), let inode = UInt64(text(fields[4]))
                else { return [:] }
                cache[hash] = CacheEntry(size: size, mtime: mtime, ctime: ctime, inode: inode)
            }
            return cache
        }
    }

    private func saveCache(_ cache: [String: CacheEntry]) {
        guard let cacheURL else { return }
        var text = Self.cacheHeader + "\n"
        text.reserveCapacity(cache.count * 120)
        for (hash, entry) in cache.sorted(by: { $0.key < $1.key }) {
            text += "\(hash) \(entry.size) \(entry.mtime) \(entry.ctime) \(entry.inode)\n"
        }
        // A cache that cannot be written costs only speed.
        try? AtomicFile.write(Data(text.utf8), to: cacheURL, mode: .replace)
    }
}
