public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few system calls whose spelling differs between Linux (Glibc) and macOS (Darwin). Everything else
/// attest calls is POSIX and is imported from whichever C library the platform has, as every file that
/// calls it does with `#if canImport(Glibc) … #elseif canImport(Darwin)`.
public enum Platform {
    /// `write(2)`, which a type with its own `write` would otherwise shadow.
    public static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
        #else
        Darwin.write(descriptor, buffer, count)
        #endif
    }

    /// `read(2)`.
    public static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// `exit(3)`: flushes C streams and ends the process with the contract's code.
    public static func exit(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }

    /// Starts writing `length` bytes of an open file from `offset` to disk without waiting for it
    /// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, Linux), so that the `fsync` that ends a large write finds
    /// little left to do. Elsewhere nothing: the `fsync` does it all.
    public static func startWriteback(_ descriptor: Int32, offset: Int, length: Int) {
        #if os(Linux)
        _ = syncFileRange?(descriptor, Int64(offset), Int64(length), 2 /* SYNC_FILE_RANGE_WRITE */)
        #endif
    }

    #if os(Linux)
    /// glibc's `sync_file_range`, which Swift's Glibc module does not import (it is a GNU extension).
    private static let syncFileRange = cFunction("sync_file_range", as: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
    #endif

    /// A C library function that Swift's Glibc module does not import (GNU extensions such as
    /// `sync_file_range`), looked up by name; nil where the C library lacks it.
    static func cFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }

    /// A file's modification and status-change times in nanoseconds (`st_mtim` on Linux, `st_mtimespec` on macOS).
    public static func changeTimes(_ info: stat) -> (modified: Int64, changed: Int64) {
        #if canImport(Glibc)
        (Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
         Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
        #else
        (Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec),
         Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec))
        #endif
    }
}


extension FileHandle {
    /// Everything until end of file, retrying reads a signal interrupted (`readDataToEndOfFile` traps on EINTR).
    public func readAllRetryingInterrupts() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Platform.read(fileDescriptor, $0.baseAddress!, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}

/// What a command loaded lives until the process exits: freeing 10^5 records (or an item table of 10^5 rows)
/// one allocation at a time costs more than the system takes to drop the whole heap at exit.
public enum ProcessLifetime {
    private static let kept = Locked<[Any]>([])

    @discardableResult
    public static func keep<T>(_ value: T) -> T {
        kept.withLock { $0.append(value) }
        return value
    }
}
