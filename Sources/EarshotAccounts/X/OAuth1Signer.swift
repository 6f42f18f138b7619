import Crypto
import Foundation

/// OAuth 1.0a user context (RFC 5849) as X checks it: every request signed with HMAC-SHA1
/// over the method, the URL without its query, and the sorted query and oauth parameters (a
/// JSON body is not signed). The stub signs the same way to check what it receives.
public struct OAuth1Signer: Sendable {
    public let consumerKey: String
    public let consumerSecret: String
    public let token: String
    public let tokenSecret: String

    public init(consumerKey: String, consumerSecret: String, token: String, tokenSecret: String) {
        (self.consumerKey, self.consumerSecret, self.token, self.tokenSecret) = (consumerKey, consumerSecret, token, tokenSecret)
    }

    /// The `Authorization` header for one request.
    public func authorization(method: String, url: String, nonce: String = UUID().uuidString.replacingOccurrences(of: "-", with: ""),
                              timestamp: Int = Int(Date().timeIntervalSince1970)) -> String {
        var oauth = [
            ("oauth_consumer_key", consumerKey), ("oauth_nonce", nonce), ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", String(timestamp)), ("oauth_token", token), ("oauth_version", "1.0"),
        ]
        oauth.append(("oauth_signature", signature(method: method, url: url, oauth: oauth)))
        return "OAuth " + oauth.map { "\(Self.encode($0.0))=\"\(Self.encode($0.1))\"" }.joined(separator: ", ")
    }

    /// The signature of a request with these oauth parameters.
    public func signature(method: String, url: String, oauth: [(String, String)]) -> String {
        let parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        var parameters = oauth.filter { $0.0 != "oauth_signature" }
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                parameters.append((kv[0], kv.count > 1 ? kv[1] : ""))
            }
        }
        let normalized = parameters.map { (Self.encode($0.0), Self.encode($0.1)) }.sorted { $0 < $1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let base = [method.uppercased(), Self.encode(parts[0]), Self.encode(normalized)].joined(separator: "&")
        let key = SymmetricKey(data: Data((Self.encode(consumerSecret) + "&" + Self.encode(tokenSecret)).utf8))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// RFC 3986 percent-encoding: everything but unreserved characters.
    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        allowed.remove(charactersIn: "")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The oauth parameters of an `Authorization: OAuth ...` header.
    public static func parameters(of header: String) -> [(String, String)] {
        guard header.hasPrefix("OAuth ") else { return [] }
        return header.dropFirst(6).split(separator: ",").compactMap { part in
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { return nil }
            let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (kv[0].removingPercentEncoding ?? kv[0], value.removingPercentEncoding ?? value)
        }
    }
}
