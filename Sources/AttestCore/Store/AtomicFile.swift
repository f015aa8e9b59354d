public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files whole or not at all: a temporary file (its name starts with `.`, so no reader takes it
/// for a record) is written, flushed and then renamed or linked into place.
public enum AtomicFile {
    public enum Mode: Sendable {
        /// Replace whatever is there (the checklist file, caches).
        case replace
        /// Fail if the name exists: records are never rewritten.
        case createNew
    }

    /// Writes `data` to `url`. `displayPath` is how errors name the file. With `temporaryDirectory` (the
    /// workspace's `.attest/tmp/`, on the same file system) the temporary file is written there, so that a
    /// killed write leaves nothing that git shows; it must then be a real folder.
    public static func write(_ data: Data, to url: URL, mode: Mode, displayPath: String? = nil, temporaryDirectory: URL? = nil) throws {
        let display = displayPath ?? url.path
        let directory = url.deletingLastPathComponent()
        let created = missingAncestors(of: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.writeFailed(path: display, detail: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        if let temporaryDirectory {
            do {
                try Workspace.realDirectory(temporaryDirectory.deletingLastPathComponent(), display: ".attest")
                try Workspace.realDirectory(temporaryDirectory, display: ".attest/tmp")
            } catch {
                removeFolders(created)
                throw error
            }
        }
        let temporary = (temporaryDirectory ?? directory).appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp")
        let registration = Interruption.removeOnSignal(temporary.path)
        defer { Interruption.forget(registration) }
        do {
            try writeAll(data, to: temporary.path)
            switch mode {
            case .replace:
                guard rename(temporary.path, url.path) == 0 else { throw PosixError(call: "rename", code: errno) }
            case .createNew:
                // link() fails if the name exists, so a record is never replaced. On a file system without
                // hard links, fall back to rename after checking the name is free (record IDs are random).
                if link(temporary.path, url.path) == 0 {
                    unlink(temporary.path)
                } else if [EPERM, ENOTSUP, EOPNOTSUPP, EMLINK, ENOSYS].contains(errno) {
                    guard access(url.path, F_OK) != 0 else { throw PosixError(call: "link", code: EEXIST) }
                    guard rename(temporary.path, url.path) == 0 else { throw PosixError(call: "rename", code: errno) }
                } else {
                    throw PosixError(call: "link", code: errno)
                }
            }
        } catch let error as PosixError {
            unlink(temporary.path)
            removeFolders(created)
            if error.code == EEXIST {
                throw StoreError.recordExists(path: display)
            }
            throw StoreError.writeFailed(path: display, detail: error.description)
        }
    }

    /// The folders that creating `directory` would make, deepest first.
    public static func missingAncestors(of directory: URL) -> [URL] {
        var result: [URL] = []
        var current = directory
        while SafeFile.kind(of: current.path) == nil, current.path != "/" {
            result.append(current)
            current = current.deletingLastPathComponent()
        }
        return result
    }

    /// Removes folders a failed write created (deepest first; only while empty).
    public static func removeFolders(_ folders: [URL]) {
        for folder in folders { rmdir(folder.path) }
    }

    /// Writes through POSIX calls so that ENOSPC and EFBIG (with SIGXFSZ ignored) come back as errors.
    public static func writeAll(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PosixError(call: "open", code: errno) }
        var failure: PosixError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Platform.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = PosixError(call: "write", code: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = PosixError(call: "fsync", code: errno) }
        if close(fd) != 0 && failure == nil { failure = PosixError(call: "close", code: errno) }
        if let failure {
            unlink(path)
            throw failure
        }
    }
}

/// A failed system call, named.
public struct PosixError: Error, CustomStringConvertible {
    public var call: String
    public var code: Int32
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}
