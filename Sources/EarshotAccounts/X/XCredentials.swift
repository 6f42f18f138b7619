import EarshotService
import Foundation

/// How an X account signs its requests, from its `credentials_file` (JSON, mode 0600):
/// an OAuth 2.0 user token (`access_token`, with `refresh_token` and `client_id` to renew it),
/// or OAuth 1.0a user context (`consumer_key`, `consumer_secret`, `access_token`,
/// `access_token_secret`).
enum XCredentials: Sendable {
    case oauth2(access: String, refresh: String?, clientID: String?)
    case oauth1(OAuth1Signer)

    init(json text: String, account: String, file: String) throws(AccountSetupError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw AccountSetupError(account: account, "credentials_file \(file) must be a JSON object (docs/accounts.md, X)")
        }
        let string = { (key: String) in (object[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        if let key = string("consumer_key") {
            guard let secret = string("consumer_secret"), let token = string("access_token"), let tokenSecret = string("access_token_secret") else {
                throw AccountSetupError(account: account, "credentials_file \(file): OAuth 1.0a needs consumer_key, consumer_secret, access_token and access_token_secret")
            }
            self = .oauth1(OAuth1Signer(consumerKey: key, consumerSecret: secret, token: token, tokenSecret: tokenSecret))
        } else if let access = string("access_token") {
            self = .oauth2(access: access, refresh: string("refresh_token"), clientID: string("client_id"))
        } else {
            throw AccountSetupError(account: account, "credentials_file \(file) holds neither an OAuth 2.0 access_token nor OAuth 1.0a keys")
        }
    }

    /// The `Authorization` header for one request.
    func authorization(method: String, url: String) -> String {
        switch self {
        case let .oauth2(access, _, _): "Bearer \(access)"
        case let .oauth1(signer): signer.authorization(method: method, url: url)
        }
    }

    /// The renewed token kept for the next run (OAuth 2.0 refresh tokens are used once).
    var stored: [String: String]? {
        guard case let .oauth2(access, refresh, clientID) = self else { return nil }
        var object = ["access_token": access]
        if let refresh { object["refresh_token"] = refresh }
        if let clientID { object["client_id"] = clientID }
        return object
    }
}
