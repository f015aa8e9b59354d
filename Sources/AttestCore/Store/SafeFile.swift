public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads only regular files, checked on the open descriptor before any byte is read: a FIFO cannot hang a
/// read, a device cannot stream forever, and (inside the workspace) a symbolic link is refused.
public enum SafeFile {
    /// Size limits, named in every error that hits them.
    public enum Limit {
        public static let record = 1 << 20
        public static let importRecord = 128 << 20
        public static let matrix = 128 << 20
    }

    /// What a path is, as `lstat` (or `stat`, following links) sees it.
    public enum Kind: String, Sendable {
        case regular = "a regular file"
        case directory = "a directory"
        case fifo = "a FIFO"
        case characterDevice = "a character device"
        case blockDevice = "a block device"
        case socket = "a socket"
        case symbolicLink = "a symbolic link"
        case other = "not a regular file"

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFSOCK: self = .socket
            case S_IFLNK: self = .symbolicLink
            default: self = .other
            }
        }
    }

    /// The kind of `path`, or nil when it does not exist (or cannot be examined).
    public static func kind(of path: String, followingLinks: Bool = false) -> Kind? {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? Kind(mode: info.st_mode) : nil
    }

    /// Opens a regular file for reading and returns its descriptor and size; the caller closes it.
    /// `followingLinks` is for paths a person typed (`--file`, the matrix); inside the workspace it is false.
    public static func openRegular(_ path: String, display: String, followingLinks: Bool, limit: Int? = nil,
                                   what: String = "file") throws -> (descriptor: Int32, size: Int) {
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW)
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP || code == EMLINK, kind(of: path) == .symbolicLink {
                throw StoreError.notRegularFile(path: display, kind: followingLinks ? "a symbolic link that loops" : SafeFile.Kind.symbolicLink.rawValue)
            }
            throw StoreError.unreadable(path: display, detail: describe(errno: code))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw StoreError.unreadable(path: display, detail: describe(errno: code))
        }
        let kind = Kind(mode: info.st_mode)
        guard kind == .regular else {
            close(descriptor)
            throw StoreError.notRegularFile(path: display, kind: kind.rawValue)
        }
        let size = Int(info.st_size)
        if let limit, size > limit {
            close(descriptor)
            throw StoreError.tooLarge(path: display, what: what, size: size, limit: limit)
        }
        // Regular files never block; clear O_NONBLOCK so that reads behave as usual.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, size)
    }

    /// A cache file's bytes under `.attest/`, or nil unless it is a regular file of this user's that no one
    /// else may write (a cache is never evidence, and one that someone else could have written is none).
    public static func readPrivateCache(_ path: String, limit: Int = 1 << 30) -> Data? {
        var info = stat()
        guard lstat(path, &info) == 0, Kind(mode: info.st_mode) == .regular, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
            return nil
        }
        return try? read(path, display: path, limit: limit, what: "cache")
    }

    /// A regular file's bytes, at most `limit` of them.
    public static func read(_ path: String, display: String, followingLinks: Bool = false, limit: Int, what: String = "file") throws -> Data {
        let (descriptor, size) = try openRegular(path, display: display, followingLinks: followingLinks, limit: limit, what: what)
        defer { close(descriptor) }
        var data = Data(count: size)
        var total = 0
        let failure: Int32? = data.withUnsafeMutableBytes { buffer -> Int32? in
            while total < buffer.count {
                let count = Platform.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return errno }
                if count == 0 { break }  // shrank while reading: keep what is there
                total += count
            }
            return nil
        }
        if let failure { throw StoreError.unreadable(path: display, detail: describe(errno: failure)) }
        if total < size { data.removeSubrange(total...) }
        return data
    }

    /// Plain words for the errors people meet.
    public static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "is a directory"
        case ENOSPC: "no space left on device"
        case EDQUOT: "disk quota exceeded"
        case EFBIG: "file too large (the file-size limit, ulimit -f)"
        case EROFS: "read-only file system"
        case ENOTDIR: "a component of the path is not a directory"
        case ELOOP: "too many symbolic links"
        case ENAMETOOLONG: "the path is too long"
        case EIO: "input/output error"
        default: String(cString: strerror(code))
        }
    }
}
