public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program run to its end (`git`, `ssh-keygen`) through `posix_spawn`, its output and error read from
/// pipes in the calling thread and its exit awaited with `waitpid`.
///
/// Not Foundation's `Process`: on Linux its `waitUntilExit()` polls the run loop every 50 ms (each launch of
/// a program that ends at once took ~60 ms, three of them per `report`), and its `run()` reads every open
/// descriptor's path first (swift-corelibs-foundation#5472: a crash with over ~1,350 open).
public enum Subprocess {
    public struct Outcome: Sendable {
        /// The exit status, 128 + the signal that ended it, or -1 when it could not be learned.
        public var status: Int32
        /// Its standard output (empty unless captured).
        public var output: Data
        /// Its standard error.
        public var errors: Data
    }

    /// Where the program's standard input comes from.
    public enum Input: Sendable {
        /// `/dev/null`: a prompt fails at once instead of waiting.
        case nullDevice
        /// attest's own (a terminal, for a passphrase prompt).
        case inherited
    }

    /// Runs `program` (a path, or a name looked up on attest's `PATH`) with `arguments` and exactly the variables of
    /// `environment`, in attest's working directory (git takes `-C DIR`). Standard output is captured unless
    /// `captureOutput` is false (then it goes to `/dev/null`); standard error is always captured.
    /// - Throws: `PosixError` when the program cannot be started (not found, not executable).
    public static func run(_ program: String, _ arguments: [String], environment: [String: String],
                           input: Input = .nullDevice, captureOutput: Bool = true) throws -> Outcome {
        var outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        defer { closeAll(outputPipe + errorPipe) }
        let pid = try spawning.withLock {
            guard makePipe(&errorPipe), !captureOutput || makePipe(&outputPipe) else { throw PosixError(call: "pipe", code: errno) }
            let pid = try spawn(program, arguments, environment: environment, input: input, output: outputPipe[1], errors: errorPipe[1])
            // The program holds the write ends now; closing attest's lets each read end at the program's exit.
            closeAll([outputPipe[1], errorPipe[1]])
            outputPipe[1] = -1
            errorPipe[1] = -1
            return pid
        }
        let child = Interruption.endOnSignal(child: pid)
        defer { Interruption.forget(child) }
        let (output, errors) = drain(outputPipe[0], errorPipe[0])
        // Closed before the wait: a program still writing (the reading stopped on an error) gets EPIPE, not a hang.
        closeAll([outputPipe[0], errorPipe[0]])
        outputPipe[0] = -1
        errorPipe[0] = -1
        var status: Int32 = 0, reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
        // An exit that cannot be learned (the child reaped elsewhere) is never taken for success.
        guard reaped == pid else { return Outcome(status: -1, output: output, errors: errors) }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (they are macros).
        let signal = status & 0x7f
        return Outcome(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, output: output, errors: errors)
    }

    /// Starts the program with `output` (-1: /dev/null) and `errors` as its standard output and error.
    private static func spawn(_ program: String, _ arguments: [String], environment: [String: String], input: Input,
                              output: Int32, errors: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input == .nullDevice { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if output >= 0 {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        // Nothing else attest has open reaches the program, where the C library can say so (glibc 2.34+;
        // the pipes' own ends are close-on-exec everywhere).
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // attest ignores SIGXFSZ (a file-size limit fails its writes instead of killing it), and its parent may
        // have ignored others; ignored signals are inherited across exec, so the program gets these signals'
        // defaults back, and an empty mask.
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGXFSZ, SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        guard let path = locate(program) else { throw PosixError(call: "looking for \(program) on PATH", code: ENOENT) }
        var pid: pid_t = 0
        var code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        if code == ENOEXEC {
            // A script without a `#!` line: run by the shell, as execvp does (posix_spawn does not).
            let shell: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup(path)] + argv.dropFirst()
            defer { for pointer in shell.prefix(2) { free(pointer) } }
            code = posix_spawn(&pid, "/bin/sh", &actions, &attributes, shell, envp)
        }
        guard code == 0 else { throw PosixError(call: "posix_spawn \(path)", code: code) }
        return pid
    }

    /// `program` as `execvp` finds it: a name with a slash as it is, else the first executable file of that name
    /// in a folder of attest's `PATH` (an empty entry is the current folder).
    public static func locate(_ program: String) -> String? {
        if program.contains("/") { return program }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + program
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A pipe whose ends are close-on-exec (made while `spawning` is held).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        ends = fds
        return true
    }

    /// Held from making a program's pipes until it has started and attest's write ends are closed: a program
    /// another thread starts meanwhile (the importer's identity is looked up beside the reading) must not
    /// inherit an end and keep this one's reader from its end of file.
    private static let spawning = NSLock()

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+).
    private static let closeFrom = Platform.cFunction("posix_spawn_file_actions_addclosefrom_np",
        as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }

    /// Reads both pipes (-1: none) to their ends, whichever has data, so that neither fills and stalls the program.
    private static func drain(_ first: Int32, _ second: Int32) -> (Data, Data) {
        var results = [Data(), Data()]
        var polled = [first, second].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while polled.contains(where: { $0.fd >= 0 }) {
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in polled.indices where polled[index].fd >= 0 && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Platform.read(polled[index].fd, $0.baseAddress!, $0.count) }
                if count > 0 {
                    results[index].append(contentsOf: buffer[..<count])
                } else if count == 0 || errno != EINTR && errno != EAGAIN {
                    polled[index].fd = -1  // its end (or an error): poll skips a negative descriptor
                }
            }
        }
        return (results[0], results[1])
    }
}
