import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A platform's answer, read whole.
public struct PlatformResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public func header(_ name: String) -> String? { headers[name].first }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// No answer at all: the connection was refused or reset, or the platform stayed silent past
/// the timeout. Says which endpoint; never carries the token.
public struct TransportFault: Error, Sendable, CustomStringConvertible {
    public let endpoint: String
    public let reason: String
    public var description: String { "\(endpoint): \(reason)" }
}

/// The HTTP client of every live account: async-http-client on one shared event loop group,
/// TLS by default, a timeout on every request, and redirects refused, so an Authorization
/// header is only ever sent to the host the account's `url` names.
public final class PlatformHTTP: Sendable {
    private let client: HTTPClient
    private let stream: HTTPClient
    /// A REST answer's head must arrive within this, and its body may then fall silent no longer.
    public let requestTimeout: TimeAmount
    /// The largest REST body read (a notifications page is far smaller).
    static let maximumBody = 8 << 20

    /// `streamSilence`: a stream that sends nothing (not even a heartbeat) for this long is dead.
    public init(requestTimeout: TimeAmount = .seconds(20), streamSilence: TimeAmount = .seconds(45)) {
        self.requestTimeout = requestTimeout
        client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: requestTimeout)))
        stream = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: streamSilence)))
    }

    /// Sends one request and reads its whole answer, whatever its status.
    public func send(
        _ method: HTTPMethod, _ url: String, token: String, headers: [(String, String)] = [], form: [(String, String)]? = nil
    ) async throws -> PlatformResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "User-Agent", value: "earshot")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        }
        return try await execute(request, endpoint: Self.endpoint(url))
    }

    /// Sends a JSON body (XRPC procedures); `token` nil sends no Authorization.
    public func sendJSON(_ method: HTTPMethod, _ url: String, token: String?, json: [String: Any]?) async throws -> PlatformResponse {
        try await sendJSON(method, url, authorization: token.map { "Bearer \($0)" }, json: json)
    }

    /// A form body with no Authorization (an OAuth token endpoint with a public client).
    public func sendForm(_ method: HTTPMethod, _ url: String, form: [(String, String)]) async throws -> PlatformResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "earshot")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        return try await execute(request, endpoint: Self.endpoint(url))
    }

    /// Sends a JSON body with the `Authorization` header given whole (OAuth 1.0a signs each request).
    public func sendJSON(_ method: HTTPMethod, _ url: String, authorization: String?, json: [String: Any]?) async throws -> PlatformResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.headers.add(name: "User-Agent", value: "earshot")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            let data = (try? JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        return try await execute(request, endpoint: Self.endpoint(url))
    }

    private func execute(_ request: HTTPClientRequest, endpoint: String) async throws -> PlatformResponse {
        do {
            let response = try await client.execute(request, timeout: requestTimeout)
            let body = try await response.body.collect(upTo: Self.maximumBody)
            return PlatformResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        } catch {
            throw TransportFault(endpoint: endpoint, reason: Self.reason(error))
        }
    }

    /// Opens an event stream; the caller reads its body until it ends or goes silent.
    public func openStream(_ url: String, token: String) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "User-Agent", value: "earshot")
        do {
            return try await stream.execute(request, timeout: requestTimeout)
        } catch {
            throw TransportFault(endpoint: Self.endpoint(url), reason: Self.reason(error))
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
        try? await stream.shutdown()
    }

    /// `GET /api/v1/notifications`: the path without its query, for messages and logs.
    static func endpoint(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return "?" }
        return components.path
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer within the timeout"
            case .connectTimeout: return "could not connect within the timeout"
            case .remoteConnectionClosed: return "the platform closed the connection"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// `application/x-www-form-urlencoded`, as Mastodon's own clients post statuses.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return fields.map { name, value in
            let encode = { (text: String) in
                (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
            }
            return encode(name) + "=" + encode(value)
        }.joined(separator: "&")
    }
}
