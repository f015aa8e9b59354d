import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an interrupted attest (Ctrl-C, SIGTERM from a CI runner, a closed terminal) cleans up before it ends:
/// the temporary files being written (a report of 10^5 records is 285 MB of them, which the next writing
/// command would remove only an hour later), and never a report swap half done: the signal waits for it.
/// The process then ends by the same signal, as the shell and CI expect.
///
/// Everything the handler touches is plain memory set up by `install()`; it calls only `unlink`, `signal`
/// and `raise`, which are async-signal-safe.
public enum Interruption {
    /// The signals handled: those that end a process by default and that a person or a runner sends.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Room for the temporary files of a report of 170 signed checklists at once (6 each). The paths' memory is
    /// reserved at start-up but only the pages of slots in use are ever touched.
    private static let slotCount = 1024, pathCapacity = Int(PATH_MAX)
    /// `slotCount` paths of `pathCapacity` bytes each, NUL-terminated.
    private nonisolated(unsafe) static var paths: UnsafeMutablePointer<CChar>?
    /// Per slot: 1 while its path is to be removed on a signal.
    private nonisolated(unsafe) static var active: UnsafeMutablePointer<Int>?
    /// How many `deferring` blocks run, and the signal that arrived during one (else 0).
    private nonisolated(unsafe) static var deferringDepth: UnsafeMutablePointer<Int>?
    private nonisolated(unsafe) static var pendingSignal: UnsafeMutablePointer<Int>?
    /// Held while a slot is taken or given back (the handler takes no lock: it reads the flags).
    private static let lock = Locked<Void>(())
    /// Programs attest runs (git, ssh-keygen), by process ID, 0 for a free slot: ended before the files are
    /// removed, so that none writes its output (ssh-keygen's signature) after they were.
    private static let childCount = 64
    private nonisolated(unsafe) static var children: UnsafeMutablePointer<Int32>?

    /// Installs the handlers (once, at startup, before other threads start; later calls do nothing). Signals
    /// the parent ignores stay ignored.
    public static func install() {
        lock.withLock { _ in
            guard paths == nil else { return }
            paths = .allocate(capacity: slotCount * pathCapacity)
            active = .allocate(capacity: slotCount)
            active!.initialize(repeating: 0, count: slotCount)
            deferringDepth = .allocate(capacity: 1)
            deferringDepth!.initialize(to: 0)
            pendingSignal = .allocate(capacity: 1)
            pendingSignal!.initialize(to: 0)
            children = .allocate(capacity: childCount)
            children!.initialize(repeating: 0, count: childCount)
            for signal in signals {
                var previous = sigaction()
                guard sigaction(signal, nil, &previous) == 0, !isIgnored(previous) else { continue }
                var action = sigaction()
                #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = handle
                #else
                action.__sigaction_u.__sa_handler = handle
                #endif
                action.sa_flags = SA_RESTART  // a signal held during a swap returns: system calls it interrupted go on
                sigemptyset(&action.sa_mask)
                for other in signals { sigaddset(&action.sa_mask, other) }  // one handler at a time
                sigaction(signal, &action, nil)
            }
            // A mask inherited blocked (a test runner's thread spawned attest) would hold them for good; ignoring,
            // not blocking, is how a parent means it (nohup).
            var handled = sigset_t()
            sigemptyset(&handled)
            for signal in signals { sigaddset(&handled, signal) }
            pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        }
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
        return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        #else
        return unsafeBitCast(action.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        #endif
    }

    /// A temporary file that a signal removes, or a program that it ends, until it is `forget`-ten.
    public struct Registration: Sendable {
        fileprivate enum Kind: Sendable { case file, program }
        fileprivate let kind: Kind
        fileprivate let slot: Int?
    }

    /// Removes `path` should a signal end attest before `forget`. Without `install()`, or with every slot
    /// taken, nothing is registered (the hour-old cleanup still removes it).
    public static func removeOnSignal(_ path: String) -> Registration {
        let bytes = Array(path.utf8)
        guard bytes.count < pathCapacity, !bytes.contains(0) else { return Registration(kind: .file, slot: nil) }
        return lock.withLock { _ -> Registration in
            guard let paths, let active, let slot = (0..<slotCount).first(where: { active[$0] == 0 }) else {
                return Registration(kind: .file, slot: nil)
            }
            let start = paths + slot * pathCapacity
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { start.update(from: $0.baseAddress!, count: bytes.count) }
            }
            start[bytes.count] = 0
            fence()  // the path before the flag that makes it count
            active[slot] = 1
            return Registration(kind: .file, slot: slot)
        }
    }

    /// Ends the program `pid` (SIGKILL, then waits for it) should a signal end attest before `forget`.
    public static func endOnSignal(child pid: Int32) -> Registration {
        lock.withLock { _ -> Registration in
            guard let children, let slot = (0..<childCount).first(where: { children[$0] == 0 }) else { return Registration(kind: .program, slot: nil) }
            children[slot] = pid
            fence()
            return Registration(kind: .program, slot: slot)
        }
    }

    /// The file no longer needs removing (renamed into place, or removed), or the program has ended.
    public static func forget(_ registration: Registration) {
        guard let slot = registration.slot else { return }
        lock.withLock { _ in
            switch registration.kind {
            case .file: active?[slot] = 0
            case .program: children?[slot] = 0
            }
            fence()
        }
    }

    /// Runs `body` with the signals held: one that arrives meanwhile ends attest after it (a report swap is
    /// all or nothing).
    public static func deferring<T>(_ body: () throws -> T) rethrows -> T {
        guard let deferringDepth, let pendingSignal else { return try body() }
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in signals { sigaddset(&blocked, signal) }
        // Counted before this thread blocks them: a signal another thread takes in between must already defer.
        // Meanwhile this thread does not take them; another thread that does leaves them in `pendingSignal`.
        deferringDepth.pointee += 1
        fence()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer {
            deferringDepth.pointee -= 1
            fence()
            let pending = Int32(pendingSignal.pointee)
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            if deferringDepth.pointee == 0 && pending != 0 { end(by: pending) }
        }
        return try body()
    }

    private static let handle: @convention(c) (Int32) -> Void = { number in
        if let deferringDepth, let pendingSignal, deferringDepth.pointee > 0 {
            pendingSignal.pointee = Int(number)
            fence()
            if deferringDepth.pointee > 0 { return }  // else the deferring block ended meanwhile, perhaps without seeing it
        }
        end(by: number)
    }

    /// Ends the programs attest runs, removes every registered file and ends the process by signal `number`.
    private static func end(by number: Int32) {
        if let children {
            fence()
            for slot in 0..<childCount where children[slot] > 0 {
                kill(children[slot], SIGKILL)
                waitpid(children[slot], nil, 0)
            }
        }
        if let paths, let active {
            // Other threads go on while this one handles the signal: one may be creating a registered file right
            // now (a report's files are opened by threads that a busy machine starts late). Three passes, 20 ms
            // apart, catch those too.
            var pause = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            for pass in 0..<3 {
                if pass > 0 { nanosleep(&pause, nil) }
                fence()
                for slot in 0..<slotCount where active[slot] == 1 { unlink(paths + slot * pathCapacity) }
            }
        }
        signal(number, SIG_DFL)
        raise(number)
    }

    /// Orders the plain memory the handler shares with other threads.
    @inline(__always) private static func fence() {
        if #available(macOS 15, *) { atomicMemoryFence(ordering: .sequentiallyConsistent) }
    }
}
