import EarshotCore
import EarshotService
import EarshotTestSupport
import Foundation
import Testing

/// `[[account]]` in config.toml, and the token file's own checks.
@Suite struct AccountConfigTests {
    func load(_ text: String) throws -> EarshotConfig {
        var config = EarshotConfig()
        try ConfigLoader.apply(text, from: "config.toml", to: &config)
        return config
    }

    func problem(_ text: String) -> String? {
        do {
            _ = try load(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func anAccountWithItsDefaults() throws {
        let config = try load("""
            [[account]]
            name = "acme-mastodon"
            platform = "mastodon"
            url = "https://mastodon.social/"
            token_file = "/etc/earshot/acme-mastodon.token"
            """)
        let account = try #require(config.accounts.first)
        #expect(account.name == "acme-mastodon" && account.platform == .mastodon && account.url == "https://mastodon.social")
        #expect(account.streaming && account.pollSeconds == 30 && account.backfillHours == 24)
        #expect(account.origin == "config.toml:1")
    }

    @Test func aBlueskyAccountLogsInWithAHandleAndAnAppPassword() throws {
        let config = try load("""
            [[account]]
            name = "acme-bluesky"
            platform = "bluesky"
            handle = "@acme.bsky.social"
            password_file = "/etc/earshot/acme-bluesky.password"
            """)
        let account = try #require(config.accounts.first)
        #expect(account.url == "https://bsky.social" && account.handle == "acme.bsky.social" && !account.streaming)
        #expect(account.tokenFile == "/etc/earshot/acme-bluesky.password" && account.secretKey == "password_file")
        #expect(problem("[[account]]\nname = \"b\"\nplatform = \"bluesky\"\nhandle = \"a.bsky.social\"\npassword_file = \"/p\"\nstreaming = true")
            == "config.toml:1: [[account]] 1: unknown key streaming for bluesky (Bluesky has no notification stream: it is polled); known: name, platform, url, handle, password_file, poll_seconds, backfill_hours")
        #expect(problem("[[account]]\nname = \"b\"\nplatform = \"bluesky\"\npassword_file = \"/p\"") == "config.toml:1: [[account]] 1: handle is missing (a string)")
    }

    @Test func anXAccountReadsAMinuteApartWithinItsBudget() throws {
        let config = try load("""
            [[account]]
            name = "acme-x"
            platform = "x"
            credentials_file = "/etc/earshot/acme-x.json"
            monthly_read_budget = 10000
            """)
        let account = try #require(config.accounts.first)
        #expect(account.url == "https://api.x.com" && account.pollSeconds == 60 && account.monthlyReadBudget == 10000)
        #expect(account.secretKey == "credentials_file" && !account.streaming)
        #expect(problem("[[account]]\nname = \"x\"\nplatform = \"x\"\ncredentials_file = \"/c\"\nmonthly_read_budget = 0")
            == "config.toml:1: [[account]] 1: monthly_read_budget must be a whole number of posts, 1 or more")
    }

    @Test func mistakesSayWhatAndWhere() {
        let base = "[[account]]\nname = \"a\"\nplatform = \"mastodon\"\ntoken_file = \"/t\"\n"
        #expect(problem(base + "url = \"http://mastodon.social\"")
            == "config.toml:1: [[account]] 1: url \"http://mastodon.social\": http:// is accepted only for this machine (127.0.0.1, localhost); use https://")
        #expect(problem(base + "url = \"http://127.0.0.1:8080\"") == nil)
        #expect(problem(base + "url = \"https://m.example\"\npoll_seconds = 1") == "config.toml:1: [[account]] 1: poll_seconds must be a whole number of seconds, 5 or more")
        #expect(problem(base + "url = \"https://m.example\"\ncolour = \"red\"")?.contains("unknown key colour") == true)
        #expect(problem("[[account]]\nname = \"a\"\nplatform = \"myspace\"\nurl = \"https://m.example\"\ntoken_file = \"/t\"")
            == "config.toml:1: [[account]] 1: platform \"myspace\" cannot be a live account yet; use mastodon, bluesky, x")
        let twice = base + "url = \"https://m.example\"\n" + "\n" + base + "url = \"https://m.example\"\n"
        #expect(problem(twice) == "config.toml:7: [[account]] 2: name \"a\" is used by another account")
        #expect(problem("[account]\nname = \"a\"") == "config.toml:1: account must be written as [[account]] tables, one per account")
    }

    @Test func aTokenOthersCanReadIsRefusedWithTheModeToSet() throws {
        let directory = try TemporaryDirectory("earshot-token")
        let file = directory.file("acme.token")
        try "secret-token-value\n".write(toFile: file, atomically: true, encoding: .utf8)
        let account = AccountSettings(name: "acme", platform: .mastodon, url: "https://m.example", tokenFile: file)
        chmod(file, 0o644)
        #expect(throws: AccountSetupError("account acme: token_file \(file) is open to other users (mode 644): run `chmod 600 \(file)` so only the daemon's user can read it")) {
            try account.readToken()
        }
        chmod(file, 0o600)
        #expect(try account.readToken() == "secret-token-value")
        chmod(file, 0o400)
        #expect(try account.readToken() == "secret-token-value")
        try "two words".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        do {
            _ = try account.readToken()
            Issue.record("a token with a space was accepted")
        } catch {
            #expect(!error.message.contains("two words"), "the error must not quote the file's content")
        }
    }
}
