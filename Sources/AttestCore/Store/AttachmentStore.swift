public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The checklist's content-addressed store: `attachments/sha256/ab/abcdef…`, one file per content,
/// stored once however often it is attached, with no extension (so that no attachment is ever read as a record).
public struct AttachmentStore: Sendable {
    public enum Check: Hashable, Sendable {
        case intact
        case missing
        /// The stored file's hash (or size) differs from the one recorded.
        case altered(actual: String)
    }

    public let directory: URL
    /// How errors name the store (relative to the workspace).
    public let displayPath: String
    /// Where the stat cache lives (`.attest/…`), or nil for none.
    let cacheURL: URL?

    public init(directory: URL, displayPath: String, cacheURL: URL?) {
        self.directory = directory
        self.displayPath = displayPath
        self.cacheURL = cacheURL
    }

    public func url(for sha256: String) -> URL {
        directory.appendingPathComponent("sha256/\(sha256.prefix(2))/\(sha256)")
    }

    public func relativePath(for sha256: String) -> String { "\(displayPath)/sha256/\(sha256.prefix(2))/\(sha256)" }

    /// Copies a file into the store by content (a symlink is followed and its content copied).
    /// `displayName` is how errors name the source. `created` is false when the content was stored already.
    public func store(fileAt path: String, displayName: String) throws -> (sha256: String, size: Int64, created: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.invalidInput("\(displayName): no such file; check the path given to --file")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError.invalidInput("\(displayName): is a directory; attach files one by one, or an archive of the folder")
        }
        let staging = directory.appendingPathComponent("sha256")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw StoreError.writeFailed(path: displayPath, detail: error.localizedDescription)
        }
        let temporary = staging.appendingPathComponent(".incoming.\(getpid()).\(UInt32.random(in: .min ... .max))").path
        defer { unlink(temporary) }
        let result: (sha256: String, size: Int64)
        do {
            result = try FileHasher.sha256(fileAt: path, copyTo: temporary)
        } catch let error as PosixError where error.call == "read" || (error.call == "open" && access(path, R_OK) != 0) {
            throw StoreError.unreadable(path: displayName, detail: error.description)
        } catch {
            throw StoreError.writeFailed(path: displayPath, detail: "\(error)")
        }
        let final = url(for: result.sha256)
        try? FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        if link(temporary, final.path) != 0 {
            guard errno == EEXIST else {
                throw StoreError.writeFailed(path: relativePath(for: result.sha256), detail: PosixError(call: "link", code: errno).description)
            }
            // A stored copy that was altered is repaired by storing the original again.
            if (try? FileHasher.sha256(fileAt: final.path).sha256) != result.sha256 {
                guard rename(temporary, final.path) == 0 else {
                    throw StoreError.writeFailed(path: relativePath(for: result.sha256), detail: PosixError(call: "rename", code: errno).description)
                }
                return (result.sha256, result.size, false)
            }
            return (result.sha256, result.size, false)
        }
        return (result.sha256, result.size, true)
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
        let results = Parallel.map(list.count) { index in
            let result = checkOne(list[index], cached: snapshot[list[index]])
            if let progress { progress(finished.withLock { count in count += 1; return count }) }
            return result
        }
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

    private func checkOne(_ hash: String, cached: CacheEntry?) -> (Check, CacheEntry?) {
        let path = url(for: hash).path
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return (.missing, nil) }
        let entry = CacheEntry(
            size: Int64(info.st_size),
            mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            ctime: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
            inode: UInt64(info.st_ino))
        if let cached, cached == entry { return (.intact, entry) }
        guard let actual = try? FileHasher.sha256(fileAt: path).sha256 else { return (.missing, nil) }
        return actual == hash ? (.intact, entry) : (.altered(actual: actual), nil)
    }

    private func loadCache() -> [String: CacheEntry] {
        guard let cacheURL, let data = try? Data(contentsOf: cacheURL),
              let cache = try? JSONDecoder().decode([String: CacheEntry].self, from: data)
        else { return [:] }
        return cache
    }

    private func saveCache(_ cache: [String: CacheEntry]) {
        guard let cacheURL, let data = try? JSONEncoder().encode(cache) else { return }
        // A cache that cannot be written costs only speed.
        try? AtomicFile.write(data, to: cacheURL, mode: .replace)
    }
}
