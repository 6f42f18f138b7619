import Foundation

/// A pseudo-terminal pair, so a child process can be given a real terminal on one of its
/// file descriptors (what `isatty` sees) while the test reads what it draws.
public final class PseudoTerminal: @unchecked Sendable {
    // @unchecked: the descriptors are set once in init and only closed in deinit.
    public let controller: Int32
    public let device: FileHandle

    // TIOCSPTLCK and TIOCGPTN: function-like macros in <asm-generic/ioctls.h> that Swift
    // does not import; these values hold on Linux's generic ioctl layout (x86_64, arm64).
    private static let setLock: UInt = 0x4004_5431
    private static let getNumber: UInt = 0x8004_5430

    public init() throws {
        // Linux's multiplexer directly (Swift's Glibc module does not import posix_openpt):
        // unlock the device, ask its number, open /dev/pts/N.
        controller = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: CInt = 0
        var number: CInt = 0
        guard controller >= 0, ioctl(controller, Self.setLock, &unlock) == 0,
              ioctl(controller, Self.getNumber, &number) == 0
        else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot open a pseudo-terminal"])
        }
        let name = "/dev/pts/\(number)"
        let deviceDescriptor = open(name, O_RDWR | O_NOCTTY)
        guard deviceDescriptor >= 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot open \(name)"])
        }
        device = FileHandle(fileDescriptor: deviceDescriptor, closeOnDealloc: true)
    }

    /// Everything written to the terminal so far (non-blocking).
    public func drain() -> String {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let flags = fcntl(controller, F_GETFL)
        _ = fcntl(controller, F_SETFL, flags | O_NONBLOCK)
        while true {
            let count = read(controller, &buffer, buffer.count)
            if count <= 0 { break }
            collected += buffer[0..<count]
        }
        return String(decoding: collected, as: UTF8.self)
    }

    deinit { close(controller) }
}
