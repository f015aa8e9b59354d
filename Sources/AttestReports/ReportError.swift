public import Foundation
import AttestCore

/// A report that could not be written.
public enum ReportError: Error, LocalizedError, Sendable {
    /// A libxml2 call returned an error code.
    case xml(call: String, code: Int32, path: String)
    case writeFailed(path: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case .xml(let call, let code, let path):
            return "\(path): error: libxml2 \(call) failed (\(code)). \(StoreError.writeRemedy)"
        case .writeFailed(let path, let detail):
            return "\(path): error: could not write the report: \(detail). \(StoreError.writeRemedy)"
        }
    }
}
