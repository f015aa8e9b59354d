public import Foundation

/// `../shared/` beside the repository (as CI lays it out), or the folder `ATTEST_SHARED` names (a git
/// worktree that lies elsewhere). Tests that need it report themselves skipped when it is absent.
public enum SharedFolder {
    public static let url: URL = {
        if let explicit = ProcessInfo.processInfo.environment["ATTEST_SHARED"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }()
}
