import EarshotCore
import Foundation

/// One `[[account]]` of config.toml: a company account on a platform that the daemon reads
/// mentions from and posts replies to itself (docs/accounts.md).
public struct AccountSettings: Equatable, Sendable {
    /// Unique; shown in the TUI, the logs and `earshot account list`.
    public var name: String
    public var platform: Platform
    /// The instance, e.g. `https://mastodon.social` (no trailing slash).
    public var url: String
    /// Holds the secret (Mastodon's access token, Bluesky's app password); readable by the
    /// daemon's user only.
    public var tokenFile: String
    /// Bluesky: the account's handle (`acme.bsky.social`), the identifier it logs in with.
    public var handle: String?
    /// Where the daemon keeps what it must reuse across restarts (a Bluesky session, whose
    /// logins are limited); nil keeps it in memory only.
    public var stateDirectory: String?
    /// Follow the platform's stream as well as polling it.
    public var streaming = true
    /// Catch-up polling interval.
    public var pollSeconds = 30
    /// How far back the very first read goes.
    public var backfillHours = 24
    /// Where it was configured, for messages: `FILE:LINE`.
    public var origin: String

    public init(name: String, platform: Platform, url: String, tokenFile: String, origin: String = "config.toml") {
        self.name = name
        self.platform = platform
        self.url = url
        self.tokenFile = tokenFile
        self.origin = origin
    }

    /// Platforms a live account can be on today.
    public static let livePlatforms: [Platform] = [.mastodon, .bluesky, .x]

    /// X: posts the account may read a month (paid access), nil for no limit.
    public var monthlyReadBudget: Int?

    /// The config key naming the secret's file.
    public var secretKey: String {
        switch platform {
        case .bluesky: "password_file"
        case .x: "credentials_file"
        default: "token_file"
        }
    }

    /// Whether `url` may be used: https, or http to this machine only (a test or demo stub).
    static func urlProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "url \"\(text)\" is not an address like https://mastodon.social"
        }
        if scheme == "https" { return nil }
        if scheme == "http" {
            return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
                ? nil : "url \"\(text)\": http:// is accepted only for this machine (127.0.0.1, localhost); use https://"
        }
        return "url \"\(text)\" must start with https://"
    }

    /// The secret file's text, after checking that only its owner can reach it. The error says
    /// which file and which mode to set; it never quotes the secret.
    public func readSecretText() throws(AccountSetupError) -> String {
        var info = stat()
        guard stat(tokenFile, &info) == 0 else {
            throw AccountSetupError(account: name, "cannot read \(secretKey) \(tokenFile): \(String(cString: strerror(errno))) (\(origin))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw AccountSetupError(account: name,
                "\(secretKey) \(tokenFile) is open to other users (mode \(String(mode, radix: 8))): run `chmod 600 \(tokenFile)` so only the daemon's user can read it")
        }
        guard let data = FileManager.default.contents(atPath: tokenFile), let text = String(data: data, encoding: .utf8) else {
            throw AccountSetupError(account: name, "cannot read \(secretKey) \(tokenFile) (\(origin))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A token or password alone on one line (Mastodon, Bluesky).
    public func readToken() throws(AccountSetupError) -> String {
        let token = try readSecretText()
        guard !token.isEmpty, !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw AccountSetupError(account: name, "\(secretKey) \(tokenFile) must hold the \(platform == .bluesky ? "app password" : "access token") alone, on one line")
        }
        return token
    }
}

/// Why an account cannot start: what, where, what to do.
public struct AccountSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `account NAME: ` and the problem.
    public let message: String
    /// The problem alone (for the account's own log lines, which name it already).
    public let problem: String

    public init(_ message: String) {
        self.message = message
        problem = message
    }

    public init(account: String, _ problem: String) {
        message = "account \(account): \(problem)"
        self.problem = problem
    }

    public var description: String { message }

    /// The same error is the same message, however it was built.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.message == rhs.message }
}
