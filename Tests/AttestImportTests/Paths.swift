import Foundation

enum Paths {
    /// The package root, from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")
    /// `../shared` beside the checkout; absent on a user's machine, where the tests that read it say they skipped.
    /// (A git worktree under `wt/` finds it one level further up.)
    static let shared = [root.deletingLastPathComponent(), root.deletingLastPathComponent().deletingLastPathComponent()]
        .map { $0.appendingPathComponent("shared") }
        .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("real-world").path) }
        ?? root.deletingLastPathComponent().appendingPathComponent("shared")
    static let realWorld = shared.appendingPathComponent("real-world")
    static let seed = shared.appendingPathComponent("seed/shared-responsibility.md")
    static var realWorldAvailable: Bool { FileManager.default.fileExists(atPath: realWorld.path) }

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }
}
