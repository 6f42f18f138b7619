import Foundation

/// Where records come from.
public enum IngestSource: Sendable, Equatable {
    case file(String)
    case standardInput

    /// The name used in messages (`FILE:LINE: ...`).
    public var name: String {
        switch self {
        case let .file(path): path
        case .standardInput: "<stdin>"
        }
    }
}

/// Reads a file descriptor in chunks as data becomes available: a pipe yields each line
/// as soon as it is written, a file yields large chunks.
struct ChunkReader {
    let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private(set) var bytesRead = 0

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next chunk, empty at end of input.
    mutating func next() throws -> ArraySlice<UInt8> {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                bytesRead += count
                return buffer[0..<count]
            }
            if errno == EINTR { continue }
            throw IngestFailure("read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// A failure of a whole source (unreadable, unknown format), as opposed to one bad record.
public struct IngestFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
