import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A request as the stub server read it.
public struct StubRequest: Sendable {
    public var method: String
    /// The path with its query, as sent.
    public var target: String
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// Query parameters, percent-decoded, in order (`types[]` may repeat).
    public var query: [(String, String)] {
        guard let mark = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: mark)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    public func parameter(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// A form-encoded body's fields.
    public var form: [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                (String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0))
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// What the stub answers.
public enum StubResponse: Sendable {
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    /// A chunked stream: `write` sends a chunk (false once the client is gone); the stream ends
    /// when the closure returns.
    case stream(headers: [(String, String)], body: @Sendable (_ write: (String) -> Bool) -> Void)
    /// Reads the request and never answers (a platform that hangs past the client's timeout).
    case silence(seconds: Double)
    /// Closes the connection without a word.
    case drop
}

/// A small HTTP/1.1 server on 127.0.0.1 (an ephemeral port), a thread per connection, for the
/// platform stubs. Keep-alive, Content-Length bodies in, Content-Length or chunked out.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (StubRequest) -> StubResponse
    private let stopped = Atomic<Bool>(false)
    private let connections = Mutex<Set<Int32>>([])

    public init(handler: @escaping @Sendable (StubRequest) -> StubResponse) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StubError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw StubError("bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        self.handler = handler
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Drops every open connection (streams included), as a restarting platform would.
    public func dropConnections() {
        for fd in connections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            connections.withLock { _ = $0.insert(client) }
            Thread.detachNewThread { [self] in
                serve(client)
                connections.withLock { _ = $0.remove(client) }
                close(client)
            }
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        while !stopped.load(ordering: .acquiring) {
            guard let request = readRequest(fd, &buffer) else { return }
            switch handler(request) {
            case let .full(status, headers, body):
                var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                head += "Content-Length: \(body.count)\r\n\r\n"
                guard write(fd, Array(head.utf8) + body) else { return }
            case let .stream(headers, body):
                var head = "HTTP/1.1 200 OK\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                head += "Transfer-Encoding: chunked\r\n\r\n"
                guard write(fd, Array(head.utf8)) else { return }
                body { text in
                    let bytes = Array(text.utf8)
                    guard !bytes.isEmpty else { return true }
                    return self.write(fd, Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8))
                }
                _ = write(fd, Array("0\r\n\r\n".utf8))
                return
            case let .silence(seconds):
                Thread.sleep(forTimeInterval: seconds)
                return
            case .drop:
                return
            }
        }
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> StubRequest? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while true {
            if let end = Self.find(separator, in: buffer) {
                headEnd = end
                break
            }
            guard read(fd, &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd + 4
        while buffer.count < bodyStart + length {
            guard read(fd, &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return StubRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private func read(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

public struct StubError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
