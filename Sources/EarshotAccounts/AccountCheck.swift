import EarshotService
import Foundation

/// `earshot account check NAME`: whether the account's token works, without the daemon.
public enum AccountCheck {
    public struct Report: Sendable {
        /// The handle the token belongs to (`acme@mastodon.social`).
        public var handle: String
        /// The token's scopes, when the instance says (Mastodon 4.3 and later).
        public var scopes: [String]?
    }

    /// Reads the token (checking its file's mode), asks the platform who it is and what it
    /// may do. Throws with the platform's own message when it refuses.
    public static func run(_ settings: AccountSettings) async throws -> Report {
        if settings.platform == .x { return try await x(settings) }
        let token = try settings.readToken()
        if settings.platform == .bluesky { return try await bluesky(settings, password: token) }
        let http = PlatformHTTP()
        defer { Task { await http.shutdown() } }
        let api = MastodonAPI(base: settings.url, token: token, http: http)
        let response = try await api.verifyCredentials()
        let instance = try? await api.instance()
        let host = (instance?.status == 200 ? instance.flatMap { MastodonAPI.domain(fromInstance: $0.body) } : nil)
            ?? URLComponents(string: settings.url)?.host ?? settings.url
        guard response.status == 200, let identity = MastodonIdentity(credentials: response.body, instanceHost: host) else {
            throw AccountSetupError("account \(settings.name): \(settings.url) refused the token: \(MastodonAPI.errorMessage(response))")
        }
        var scopes: [String]?
        if let app = try? await api.verifyApp(), app.status == 200,
           let object = (try? JSONSerialization.jsonObject(with: Data(app.body))) as? [String: Any] {
            scopes = object["scopes"] as? [String]
        }
        await http.shutdown()
        return Report(handle: identity.handle, scopes: scopes)
    }

    /// Bluesky: one login with the app password (it counts towards the 30 per 5 minutes).
    private static func bluesky(_ settings: AccountSettings, password: String) async throws -> Report {
        let http = PlatformHTTP()
        let response: PlatformResponse
        do {
            response = try await BlueskyAPI(base: settings.url, http: http)
                .createSession(identifier: settings.handle ?? "", password: password)
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
        guard response.status == 200, let session = BlueskySession(response.body) else {
            throw AccountSetupError("account \(settings.name): \(settings.url) refused the login: \(BlueskyAPI.errorMessage(response))")
        }
        return Report(handle: "\(session.handle) (\(session.did))", scopes: nil)
    }

    /// X: who the credentials sign for (`GET /2/users/me`).
    private static func x(_ settings: AccountSettings) async throws -> Report {
        let credentials = try XCredentials(json: try settings.readSecretText(), account: settings.name, file: settings.tokenFile)
        let http = PlatformHTTP()
        let response: PlatformResponse
        do {
            response = try await XAPI(base: settings.url, http: http).me(credentials)
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
        guard response.status == 200,
              let data = ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["data"] as? [String: Any],
              let username = data["username"] as? String, let id = data["id"] as? String else {
            throw AccountSetupError("account \(settings.name): X refused the credentials: \(XAPI.errorMessage(response))")
        }
        if case .oauth1 = credentials { return Report(handle: "\(username) (\(id))", scopes: ["OAuth 1.0a user context"]) }
        return Report(handle: "\(username) (\(id))", scopes: nil)
    }
}
