public import Foundation
import AttestCore
import AttestImport

/// One entry function per reader of untrusted bytes, shared by the libFuzzer executables in `Fuzz/` and by
/// the test that replays `Tests/FuzzCorpus/<target>/` in `swift test`. Each returns normally for any input
/// (rejecting bytes is fine: that is an input error) and throws `FuzzFailure` when an invariant breaks;
/// a crash, a trap or unbounded recursion is a failure in itself.
///
/// A new target is a case here, its `check` branch, a corpus folder, and a three-line executable in
/// `Fuzz/Sources/<Name>/` (see `Fuzz/README.md`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Record files: `FastRecordReader` and the JSONDecoder path (`JSONCoding.decode`) must agree.
    case records
    /// Markdown pipe tables, HTML tables, CSV, OSCAL SSP JSON: `MatrixReader(strict: false)`, as `lint` reads.
    case pipeTables = "pipe-tables"
    case htmlTables = "html-tables"
    case csv
    case oscal
    /// `Timestamp.parse` and `Timestamp.format`: what is formatted parses back.
    case dates
    /// `allowed_signers` lines: parsed strictly; whatever parses, every line, pattern and key, is usable.
    case allowedSigners = "allowed-signers"
    /// SSHSIG `.sig` files: parsed and verified against a fixed allowed_signers, never trapping.
    case sshsig
    /// `.attest/records-<id>.cache`: scanned and every entry decoded; what decodes is written again and
    /// reads back the same.
    case recordCache = "record-cache"

    /// The executable's name in `Fuzz/Package.swift`.
    public var executableName: String {
        "Fuzz" + rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public func check(_ data: Data) throws {
        switch self {
        case .records: try Self.checkRecord(data)
        case .pipeTables: Self.readMatrix(data, fileName: "fuzz.md")
        case .htmlTables: Self.readMatrix(data, fileName: "fuzz.html")
        case .csv: Self.readMatrix(data, fileName: "fuzz.csv")
        case .oscal: Self.readMatrix(data, fileName: "fuzz.json")
        case .dates: try Self.checkDates(data)
        case .allowedSigners: Self.checkAllowedSigners(data)
        case .sshsig: try Self.checkSignature(data)
        case .recordCache: try Self.checkRecordCache(data)
        }
    }

    /// For libFuzzer: a broken invariant stops the process, so that libFuzzer saves the input.
    public func run(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let data = bytes.map { Data(bytes: $0, count: size) } ?? Data()
        do { try check(data) } catch { fatalError("\(rawValue): \(error)") }
        return 0
    }

    // MARK: Records

    static func checkRecord(_ data: Data) throws {
        let fast = FastRecordReader.read(data)
        let decoded = try? JSONCoding.decode(Record.self, from: data, path: "fuzz.json")
        if let fast {
            guard let decoded else { throw FuzzFailure("FastRecordReader accepted a record that JSONDecoder refuses") }
            guard decoded == fast else { throw FuzzFailure("FastRecordReader and JSONDecoder read different records: \(fast) / \(decoded)") }
        }
        // Never write what cannot be read back: a record attest reads, written as attest writes, reads back
        // and writes the same bytes again.
        if let decoded {
            let written = try JSONCoding.encode(decoded)
            // attest writes records with its own writer: byte for byte what JSONEncoder writes.
            guard RecordWriter.encode(decoded) == written else {
                throw FuzzFailure("RecordWriter and JSONEncoder write different bytes for \(String(decoding: written, as: UTF8.self))")
            }
            guard let again = try? JSONCoding.decode(Record.self, from: written, path: "rewritten.json") else {
                throw FuzzFailure("a record read from the input does not read back once written: \(String(decoding: written, as: UTF8.self))")
            }
            guard try JSONCoding.encode(again) == written else { throw FuzzFailure("a rewritten record changes when written again") }
        }
    }

    // MARK: Record cache

    static func checkRecordCache(_ data: Data) throws {
        guard let cache = try? RecordCache(data: data, allowedSignersSHA256: "") else { return }
        let entries = cache.decodedEntries().compactMap { $0 }
        let rewritten = RecordCache(allowedSignersSHA256: "").encoded(entries.map { .fresh($0) })
        let again = try RecordCache(data: rewritten, allowedSignersSHA256: "").decodedEntries()
        guard again.count == entries.count else { throw FuzzFailure("a rewritten record cache lost entries") }
        for (before, after) in zip(entries, again) {
            guard let after, after.path == before.path, after.key == before.key, after.sha256 == before.sha256,
                  after.record == before.record, after.signature?.signer == before.signature?.signer
            else { throw FuzzFailure("a record cache entry reads back differently once written: \(before.path)") }
        }
    }

    // MARK: Matrices

    static func readMatrix(_ data: Data, fileName: String) {
        guard let matrix = try? MatrixReader(strict: false).read(data: data, fileName: fileName, path: fileName) else { return }
        _ = MatrixLinter.lint(matrix)
    }

    // MARK: Signatures

    static func checkAllowedSigners(_ data: Data) {
        guard let signers = try? AllowedSigners(parsing: data) else { return }
        for entry in signers.entries {
            _ = entry.lists(principal: "alice@example.com")
            _ = entry.permits(namespace: "attest")
            _ = signers.authorize(entry.key, principal: "alice@example.com", namespace: "attest", at: Date(timeIntervalSince1970: 1_800_000_000))
        }
    }

    /// A fixed key that lists everyone: the signature's own checks decide.
    static let anyone: AllowedSigners = {
        let line = #"* namespaces="attest" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAoceMKLfHAlHKT/uOkwnA4VJaF42+Za3vsM+Oew28dI"#
        return (try? AllowedSigners(parsing: Data(line.utf8))) ?? AllowedSigners(entries: [])
    }()

    static func checkSignature(_ data: Data) throws {
        let verdict = anyone.verify(signature: data, of: Data("record".utf8), principal: "alice@example.com", namespace: "attest",
                                    at: Date(timeIntervalSince1970: 1_800_000_000))
        // Garbage never verifies over bytes it was not made for (the fixed key's private half is unknown).
        if verdict.isValid { throw FuzzFailure("an arbitrary .sig verified for the fixed key") }
    }

    // MARK: Dates

    static func checkDates(_ data: Data) throws {
        let text = String(decoding: data, as: UTF8.self)
        if let value = Timestamp.parse(text) {
            for date in [value.start, value.asOf] {
                guard Timestamp.isRepresentable(date) else { throw FuzzFailure("\"\(text)\" parsed to an instant outside years 0001–9999") }
                try roundTrip(date, from: text)
            }
            if Timestamp.isRepresentable(value.endExclusive) { try roundTrip(value.endExclusive, from: text) }
            _ = Timestamp.through(value.endExclusive)
            _ = Timestamp.human(value.start)
            _ = Timestamp.compact(value.start)
        }
        // Any instant at all, even one no input gives (the first 8 bytes as a Double): format writes only what
        // parse reads back.
        if data.count >= 8 {
            let bits = data.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let date = Date(timeIntervalSince1970: Double(bitPattern: bits))
            let formatted = Timestamp.format(date)
            guard Timestamp.parse(formatted) != nil else { throw FuzzFailure("format wrote \"\(formatted)\", which parse does not read") }
            _ = Timestamp.through(date)
        }
    }

    private static func roundTrip(_ date: Date, from text: String) throws {
        let formatted = Timestamp.format(date)
        guard let back = Timestamp.parse(formatted) else { throw FuzzFailure("\"\(text)\": format wrote \"\(formatted)\", which parse does not read") }
        guard Timestamp.format(back.start) == formatted else { throw FuzzFailure("\"\(text)\": \"\(formatted)\" does not read back as itself") }
    }
}

/// A broken invariant, with what was seen.
public struct FuzzFailure: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
