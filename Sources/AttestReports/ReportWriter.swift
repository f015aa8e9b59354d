public import AttestCore
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `report --sign` signs every file it writes: SSHSIG over the file's exact bytes, in namespace
/// `attest-report`, as `principal`.
public struct ReportSigning: Sendable {
    public var principal: String
    /// The `.sig` bytes of a report file's bytes.
    public var sign: @Sendable (Data) throws -> Data

    public init(principal: String, sign: @escaping @Sendable (Data) throws -> Data) {
        self.principal = principal
        self.sign = sign
    }
}

/// Writes `<checklist-id>.junit.xml`, `<checklist-id>.md` and `<checklist-id>.oscal-ar.json` for evaluated
/// checklists, all or nothing: every file goes to a temporary file under the workspace's `.attest/tmp/`
/// first, and only when all are written are they renamed into place. A failure (disk full, file-size
/// limit, a key that cannot sign) replaces none, leaves no temporary file and removes any report folder it
/// created. Signed, each file's `<file>.sig` is written in the same swap; unsigned, the swap removes the
/// `.sig` of each file it replaces, so that no signature is left beside bytes it does not cover.
public enum ReportWriter {
    public enum Kind: String, CaseIterable, Sendable {
        case junit, markdown, oscal

        /// How long its file takes to write, relatively (OSCAL is the largest by far).
        var cost: Int {
            switch self {
            case .junit: 1
            case .markdown: 2
            case .oscal: 3
            }
        }

        func fileName(_ checklist: String) -> String {
            switch self {
            case .junit: "\(checklist).junit.xml"
            case .markdown: "\(checklist).md"
            case .oscal: "\(checklist).oscal-ar.json"
            }
        }
    }

    /// A file the swap puts in place, or (no temporary) removes.
    typealias Pending = (temporary: URL?, target: URL, display: String)

    /// Writes the chosen reports of every state into `directory`; returns the paths written (signatures
    /// included), as `displayDirectory/NAME`. `temporaryDirectory` must lie on the same file system as
    /// `directory` for the final renames to be atomic (else each file is copied beside its target first).
    public static func write(_ states: [ChecklistState], to directory: URL, displayDirectory: String, kinds: Set<Kind>,
                             window: Interval? = nil, generator: ReportGenerator? = nil, signing: ReportSigning? = nil,
                             temporaryDirectory: URL) throws -> [String] {
        var pending: [Pending] = []
        var createdFolders: [URL] = []
        func discard() {
            for case let temporary? in pending.map(\.temporary) { unlink(temporary.path) }
            for folder in createdFolders.reversed() { rmdir(folder.path) }
        }
        do {
            try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.writeFailed(path: temporaryDirectory.path, detail: error.localizedDescription)
        }
        let stamp = "\(getpid())-\(UInt32.random(in: .min ... .max))"
        // Interrupted (Ctrl-C, a runner's SIGTERM), attest removes what it was writing before it ends.
        var registrations: [Interruption.Registration] = []
        defer { registrations.forEach(Interruption.forget) }
        do {
            var jobs: [(kind: Kind, state: ChecklistState, temporary: URL, display: String, temporarySignature: URL, signatureDisplay: String)] = []
            for state in states {
                for kind in Kind.allCases where kinds.contains(kind) {
                    let name = kind.fileName(state.checklist.id)
                    let display = "\(displayDirectory)/\(name)"
                    let temporary = temporaryDirectory.appendingPathComponent("report-\(stamp)-\(name)")
                    let target = directory.appendingPathComponent(name)
                    let signature = URL(fileURLWithPath: RecordSignature.file(for: target.path))
                    let temporarySignature = URL(fileURLWithPath: RecordSignature.file(for: temporary.path))
                    // Unsigned: the old signature goes before the file it covered is replaced; signed, the new one after it.
                    if signing == nil { pending.append((nil, signature, RecordSignature.file(for: display))) }
                    pending.append((temporary, target, display))
                    if signing != nil { pending.append((temporarySignature, signature, RecordSignature.file(for: display))) }
                    jobs.append((kind, state, temporary, display, temporarySignature, RecordSignature.file(for: display)))
                    registrations.append(Interruption.removeOnSignal(temporary.path))
                    if signing != nil { registrations.append(Interruption.removeOnSignal(temporarySignature.path)) }
                }
            }
            // The files are written side by side, each from a thread of its own (the JUnit writer is serial;
            // markdown and OSCAL render on every core), the largest (OSCAL) first.
            let order = jobs.indices.sorted { jobs[$0].kind.cost > jobs[$1].kind.cost }, written = jobs
            let failures = Parallel.threads(order.count) { position -> (index: Int, error: ReportError)? in
                let job = written[order[position]]
                do {
                    switch job.kind {
                    case .junit:
                        try JUnitReport(states: [job.state], generator: generator).write(toFile: job.temporary.path, displayPath: job.display)
                    case .markdown:
                        try MarkdownReport(state: job.state, window: window, generator: generator,
                                           signedAs: signing.map { ($0.principal, job.display) })
                            .write(toFile: job.temporary.path, displayPath: job.display)
                    case .oscal:
                        try OSCALReport(state: job.state, generator: generator).write(toFile: job.temporary.path, displayPath: job.display)
                    }
                    return nil
                } catch let error as ReportError {
                    return (order[position], error)
                } catch {
                    return (order[position], ReportError.writeFailed(path: job.display, detail: "\(error)"))
                }
            }
            // Of several failures, the one of the file listed first (JUnit, markdown, OSCAL), whichever finished first.
            if let failure = failures.compactMap({ $0 }).min(by: { $0.index < $1.index }) { throw failure.error }
            if let signing {
                for job in jobs {
                    let bytes: Data
                    do { bytes = try Data(contentsOf: job.temporary) } catch {
                        throw ReportError.writeFailed(path: job.display, detail: "cannot read it back to sign it: \(error.localizedDescription)")
                    }
                    try writeFile(try signing.sign(bytes), to: job.temporarySignature.path, displayPath: job.signatureDisplay)
                }
            }
            // All or nothing also under a signal: one that comes during the swap takes effect after it.
            try Interruption.deferring {
                createdFolders = try createFolder(directory, displayPath: displayDirectory)
                try swap(pending, temporaryDirectory: temporaryDirectory, stamp: stamp)
            }
        } catch {
            discard()
            throw error
        }
        return pending.filter { $0.temporary != nil }.map(\.display)
    }

    /// Renames every temporary file over its target. Should one rename fail, the targets already
    /// replaced get their old files back (kept as hard links until all renames succeeded).
    private static func swap(_ files: [Pending], temporaryDirectory: URL, stamp: String) throws {
        var backups: [(target: URL, backup: URL?)] = []
        defer { for case let backup? in backups.map(\.backup) { unlink(backup.path) } }
        for (index, file) in files.enumerated() {
            guard let temporary = file.temporary else {
                // A signature to remove: moved aside in its own folder until every rename succeeded. Only a
                // file (or a link) is a signature; anything else there is not attest's to move.
                if let kind = SafeFile.kind(of: file.target.path), kind != .regular, kind != .symbolicLink {
                    restore(backups)
                    throw ReportError.writeFailed(path: file.display, detail: "\(kind.rawValue) is where the report's signature belongs; remove it")
                }
                let aside = file.target.deletingLastPathComponent().appendingPathComponent(".\(file.target.lastPathComponent).\(stamp).old")
                if rename(file.target.path, aside.path) != 0 {
                    let code = errno
                    if code == ENOENT { continue }  // none there
                    restore(backups)
                    throw ReportError.writeFailed(path: file.display, detail: "cannot remove it: \(String(cString: strerror(code)))")
                }
                backups.append((file.target, aside))
                continue
            }
            let backup: URL?
            do {
                backup = try keep(file.target, display: file.display, in: temporaryDirectory, name: "old-\(stamp)-\(index)", stamp: stamp)
            } catch {
                restore(backups)
                throw error
            }
            if rename(temporary.path, file.target.path) != 0 {
                var code = errno
                if code == EXDEV {
                    // Another file system: copy beside the target, then rename there.
                    let beside = file.target.deletingLastPathComponent().appendingPathComponent(".\(file.target.lastPathComponent).\(stamp).tmp")
                    do {
                        try writeFile(try Data(contentsOf: temporary), to: beside.path, displayPath: file.display)
                        if rename(beside.path, file.target.path) == 0 {
                            unlink(temporary.path)
                            backups.append((file.target, backup))
                            continue
                        }
                        code = errno
                        unlink(beside.path)
                    } catch {
                        unlink(beside.path)
                        if let backup { unlink(backup.path) }
                        restore(backups)
                        throw error
                    }
                }
                if let backup { unlink(backup.path) }
                restore(backups)
                throw ReportError.writeFailed(path: file.display, detail: "rename: \(String(cString: strerror(code)))")
            }
            backups.append((file.target, backup))
        }
    }

    /// The old file at `target`, kept as a hard link until every rename succeeded: in the temporary folder, or
    /// beside the target when that lies on another file system (`--out` elsewhere), or as a copy beside it
    /// where no hard link can be made. nil: there is no old file. Never replaces a file it could not keep.
    private static func keep(_ target: URL, display: String, in temporaryDirectory: URL, name: String, stamp: String) throws -> URL? {
        let inTemporary = temporaryDirectory.appendingPathComponent(name)
        if link(target.path, inTemporary.path) == 0 { return inTemporary }
        // Nothing there, or no file to keep (a folder in the way: the rename below fails and says so).
        if errno == ENOENT || SafeFile.kind(of: target.path) != .regular { return nil }
        let beside = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(stamp).old")
        if link(target.path, beside.path) == 0 { return beside }
        if errno == ENOENT { return nil }
        do {
            try FileManager.default.copyItem(at: target, to: beside)
            return beside
        } catch {
            unlink(beside.path)
            throw ReportError.writeFailed(path: display, detail: "cannot keep the old file until the new one is in place: \(error.localizedDescription)")
        }
    }

    private static func restore(_ replaced: [(target: URL, backup: URL?)]) {
        for (target, backup) in replaced.reversed() {
            if let backup {
                rename(backup.path, target.path)
            } else {
                unlink(target.path)
            }
        }
    }

    /// Creates `folder` and any missing parents; returns those it created, outermost first.
    private static func createFolder(_ folder: URL, displayPath: String) throws -> [URL] {
        let missing = AtomicFile.missingAncestors(of: folder.standardizedFileURL)  // deepest first
        if missing.isEmpty, SafeFile.kind(of: folder.path, followingLinks: true) != .directory {
            throw ReportError.writeFailed(path: displayPath, detail: "not a directory")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            AtomicFile.removeFolders(missing)
            throw ReportError.writeFailed(path: displayPath, detail: "cannot create it: \(error.localizedDescription)")
        }
        return missing.reversed()
    }

    /// Writes a new temporary file through POSIX calls (`AtomicFile.writeAll`), so that ENOSPC and EFBIG
    /// (SIGXFSZ ignored) come back as errors that name the report.
    private static func writeFile(_ data: Data, to path: String, displayPath: String) throws {
        do {
            try AtomicFile.writeAll(data, to: path)
        } catch let error as PosixError {
            throw ReportError.writeFailed(path: displayPath, detail: error.description)
        }
    }
}
