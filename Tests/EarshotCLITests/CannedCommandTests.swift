import EarshotTestSupport
import Foundation
import Testing

@Suite struct CannedCommandTests {
    @Test func checkListsTheSnippetsThatWouldNotFitAndTheUsersWinOverTheTeams() throws {
        let home = try TemporaryDirectory("earshot-canned")
        let binary = try BuiltProducts.executable("earshot")
        let team = home.file("team"), mine = home.file("config/earshot/canned")
        try FileManager.default.createDirectory(atPath: team, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        try "Sorry for the wait! Your order ships today.\n".write(toFile: team + "/shipping.txt", atomically: true, encoding: .utf8)
        try "Team version of thanks".write(toFile: team + "/thanks.txt", atomically: true, encoding: .utf8)
        try "Thank you, that made our day!".write(toFile: mine + "/thanks.txt", atomically: true, encoding: .utf8)
        // 17 (@handle + space) + 120 + 4 (signature) = 141: one over.
        try String(repeating: "a", count: 120).write(toFile: mine + "/long.txt", atomically: true, encoding: .utf8)
        // A URL counts 23 however long: this one fits.
        try ("Track it here: https://example.com/" + String(repeating: "p", count: 150)).write(toFile: mine + "/track.txt", atomically: true, encoding: .utf8)
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": home.file("config"), "EARSHOT_CANNED_TEAM": team]

        let check = try runProcess(binary, ["canned", "check"], environment: environment)
        #expect(check.status == 1)
        #expect(check.stdout == "\(mine)/long.txt: ::long is 141 with @handle and signature, 1 over 140\n4 canned replies checked, 1 too long\n")

        let list = try runProcess(binary, ["canned"], environment: environment)
        #expect(list.status == 0)
        #expect(list.stdout.contains("::thanks\t50\tThank you, that made our day!"))
        #expect(list.stdout.contains("::track\t59\tTrack it here:"))
        #expect(!list.stdout.contains("Team version"))

        try FileManager.default.removeItem(atPath: mine + "/long.txt")
        #expect(try runProcess(binary, ["canned", "check"], environment: environment).status == 0)
    }
}
