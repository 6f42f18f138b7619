import EarshotCore
import TOMLKit

/// `[[account]]` tables: live platform accounts (docs/accounts.md, docs/config.md).
extension ConfigLoader {
    static let accountKeys = ["name", "platform", "url", "token_file", "streaming", "poll_seconds", "backfill_hours"]
    static let blueskyKeys = ["name", "platform", "url", "handle", "password_file", "poll_seconds", "backfill_hours"]
    static let xKeys = ["name", "platform", "url", "credentials_file", "poll_seconds", "backfill_hours", "monthly_read_budget"]

    static func applyAccounts(_ value: TOMLValueConvertible, file: String, text: String, to config: inout EarshotConfig) throws {
        let headers = accountHeaderLines(in: text)
        guard let array = value.array else {
            throw ConfigError(file: file, line: headers.first ?? lineOf(section: "account", key: nil, in: text), message: "account must be written as [[account]] tables, one per account")
        }
        for (index, element) in array.enumerated() {
            let line = index < headers.count ? headers[index] : nil
            func problem(_ message: String) -> ConfigError { ConfigError(file: file, line: line, message: "[[account]] \(index + 1): \(message)") }
            guard let table = element.table else { throw problem("must be a table") }
            func string(_ key: String) throws -> String {
                guard let value = table[key]?.string, !value.isEmpty else { throw problem("\(key) is missing (a string)") }
                return value
            }
            let name = try string("name")
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
                throw problem("name \"\(name)\" must be letters, digits, '-', '_' or '.'")
            }
            if config.accounts.contains(where: { $0.name == name }) { throw problem("name \"\(name)\" is used by another account") }
            let platformName = try string("platform")
            guard let platform = Platform(rawValue: platformName.lowercased()), AccountSettings.livePlatforms.contains(platform) else {
                throw problem("platform \"\(platformName)\" cannot be a live account yet; use \(AccountSettings.livePlatforms.map(\.rawValue).joined(separator: ", "))")
            }
            let known = platform == .bluesky ? blueskyKeys : platform == .x ? xKeys : accountKeys
            for key in table.keys.sorted() where !known.contains(key) {
                let why = key == "streaming" && platform == .bluesky ? " (Bluesky has no notification stream: it is polled)" : ""
                throw problem("unknown key \(key) for \(platform.rawValue)\(why); known: \(known.joined(separator: ", "))")
            }
            // Bluesky's PDS for most accounts is bsky.social's; X has one API.
            let defaultURL = [Platform.bluesky: "https://bsky.social", .x: "https://api.x.com"][platform]
            var url = table["url"] == nil && defaultURL != nil ? defaultURL! : try string("url")
            while url.hasSuffix("/") { url.removeLast() }
            if let urlProblem = AccountSettings.urlProblem(url) { throw problem(urlProblem) }
            var account = AccountSettings(
                name: name, platform: platform, url: url, tokenFile: try string(platform == .bluesky ? "password_file" : platform == .x ? "credentials_file" : "token_file"),
                origin: line.map { "\(file):\($0)" } ?? file)
            if platform == .x {
                account.streaming = false
                account.pollSeconds = 60  // paid reads: a minute unless set
                if let budget = table["monthly_read_budget"] {
                    do { account.monthlyReadBudget = try seconds(budget, "monthly_read_budget", minimum: 1, unit: "posts") } catch let value as ValueProblem { throw problem(value.text) }
                }
            }
            if platform == .bluesky {
                var handle = try string("handle")
                if handle.hasPrefix("@") { handle.removeFirst() }
                account.handle = handle
                account.streaming = false
            }
            do {
                if let streaming = table["streaming"] { account.streaming = try bool(streaming, "streaming") }
                if let poll = table["poll_seconds"] { account.pollSeconds = try seconds(poll, "poll_seconds", minimum: 5) }
                if let backfill = table["backfill_hours"] { account.backfillHours = try seconds(backfill, "backfill_hours", minimum: 0, unit: "hours") }
            } catch let value as ValueProblem {
                throw problem(value.text)
            }
            config.accounts.append(account)
        }
    }

    /// The lines of the `[[account]]` headers, in order.
    private static func accountHeaderLines(in text: String) -> [Int] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            line.trimmingCharacters(in: .whitespaces).hasPrefix("[[account]]") ? index + 1 : nil
        }
    }
}
