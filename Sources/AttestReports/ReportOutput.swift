import AttestCore
import Foundation

/// Where a report's bytes go: a new file written through POSIX calls (so that a full disk or the file-size
/// limit comes back as what it is, "no space left on device while writing Reports/x.md"), or memory.
///
/// Writes never throw: the first failure is kept, later writes are dropped, and `finish` throws it. A
/// report of 10^5 records is a few hundred megabytes; `writeOrdered` renders its large parts on every core
/// and writes each chunk, in order, as soon as it and the chunks before it are ready.
final class ReportOutput: @unchecked Sendable {
    /// How errors name the file (the report's path, not the temporary file's).
    let displayPath: String
    private var descriptor: Int32
    private(set) var failure: Int32 = 0
    /// Bytes written so far, and how many of them the disk has been asked to take (`Platform.startWriteback`).
    private var bytesWritten = 0, handedToDisk = 0
    /// Everything written, when the output is memory.
    private(set) var memory: [UInt8] = []

    /// A new file at `path` (which must not exist: it is a temporary file of `ReportWriter`).
    init(creating path: String, displayPath: String) throws {
        self.displayPath = displayPath
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReportError.writeFailed(path: displayPath, detail: "\(SafeFile.describe(errno: errno)) while creating \(displayPath)")
        }
    }

    /// Memory (`render()` of a report).
    init() {
        displayPath = "memory"
        descriptor = -1
    }

    deinit { if descriptor >= 0 { Foundation.close(descriptor) } }

    func write(_ bytes: ByteBuffer) {
        bytes.withUnsafeBytes { _ = write($0.baseAddress, $0.count) }
    }

    func write(_ text: StaticString) {
        _ = write(text.utf8Start, text.utf8CodeUnitCount)
    }

    /// Writes `count` bytes from `bytes`; returns `count`, or -1 once a write has failed (libxml2's
    /// output callback contract).
    @discardableResult
    func write(_ bytes: UnsafeRawPointer?, _ count: Int) -> Int32 {
        guard failure == 0 else { return -1 }
        guard count > 0, let bytes else { return 0 }
        if descriptor < 0 {
            memory.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
            return Int32(clamping: count)
        }
        var offset = 0
        while offset < count {
            let written = Platform.write(descriptor, bytes + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return -1
            }
            offset += written
        }
        // A report is hundreds of megabytes at scale: the disk takes it while the rest is rendered, and the
        // fsync at the end waits for the last few megabytes instead of all of them.
        bytesWritten += count
        if bytesWritten - handedToDisk >= 1 << 23 {
            Platform.startWriteback(descriptor, offset: handedToDisk, length: bytesWritten - handedToDisk)
            handedToDisk = bytesWritten
        }
        return Int32(clamping: count)
    }

    /// `render(i)` for `i` in `0..<count`, rendered on every core and written in index order, each as soon
    /// as it and those before it are ready (a writer thread beside the renderers), so that neither the whole
    /// part nor a second copy of it is ever held in memory.
    func writeOrdered(_ count: Int, _ render: @Sendable (Int) -> ByteBuffer) {
        guard count > 1 else {
            if count == 1 { write(render(0)) }
            return
        }
        let queue = ChunkQueue(count: count)
        let done = DispatchSemaphore(value: 0)
        let writer = Thread { [self] in
            for index in 0..<count { write(queue.take(index)) }
            done.signal()
        }
        writer.start()
        DispatchQueue.concurrentPerform(iterations: count) { index in queue.put(index, render(index)) }
        done.wait()
    }

    /// Syncs and closes the file (once); false when a write, the sync or the close failed.
    @discardableResult
    func close() -> Bool {
        if descriptor >= 0 {
            if failure == 0, fsync(descriptor) != 0, errno != EINVAL { failure = errno }
            if Foundation.close(descriptor) != 0, failure == 0 { failure = errno }
            descriptor = -1
        }
        return failure == 0
    }

    /// Syncs and closes the file; throws the first failure of any write, the sync or the close.
    func finish() throws {
        guard !close() else { return }
        throw ReportError.writeFailed(path: displayPath, detail: "\(SafeFile.describe(errno: failure)) while writing \(displayPath)")
    }

    /// Rendered chunks waiting for the writer, each handed over once.
    private final class ChunkQueue: @unchecked Sendable {
        private var chunks: [ByteBuffer?]
        private let condition = NSCondition()

        init(count: Int) { chunks = Array(repeating: nil, count: count) }

        func put(_ index: Int, _ chunk: ByteBuffer) {
            condition.lock()
            chunks[index] = chunk
            condition.broadcast()
            condition.unlock()
        }

        func take(_ index: Int) -> ByteBuffer {
            condition.lock()
            defer { condition.unlock() }
            while chunks[index] == nil { condition.wait() }
            let chunk = chunks[index]!
            chunks[index] = nil
            return chunk
        }
    }
}
