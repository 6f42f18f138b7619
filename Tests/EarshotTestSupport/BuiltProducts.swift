import Foundation

/// Finds the executables SwiftPM built next to the running test bundle.
public enum BuiltProducts {
    /// The directory holding the test bundle, e.g. `.build/x86_64-unknown-linux-gnu/debug`.
    public static var directory: String {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the bundle is a single file; elsewhere it may be a directory tree.
        while !url.path.hasSuffix("/debug") && !url.path.hasSuffix("/release") && url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    /// The path of a built executable; fails with a hint when it was not built.
    public static func executable(_ name: String) throws -> String {
        let path = directory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [
                NSLocalizedDescriptionKey: "\(path) is missing: run `swift build` (or `make test`) first",
            ])
        }
        return path
    }
}
