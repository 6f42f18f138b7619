import EarshotTestSupport
import Foundation
import Testing

/// Runs the real `earshot` binary as a person would, with a private HOME so nothing
/// touches the developer's own database.
@Suite struct DatabaseCommandTests {
    let home: TemporaryDirectory
    let binary: String

    init() throws {
        home = try TemporaryDirectory("earshot-cli")
        binary = try BuiltProducts.executable("earshot")
    }

    func earshot(_ arguments: String..., environment extra: [String: String] = [:]) throws -> ProcessResult {
        var environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
        environment.merge(extra) { _, new in new }
        return try runProcess(binary, arguments, environment: environment)
    }

    @Test func versionAndHelpDescribeTheTool() throws {
        let version = try earshot("--version")
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("earshot 0."))
        #expect(version.stdout.contains("ncurses"))
        let help = try earshot("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("db"))
    }

    @Test func pathFollowsFlagThenEnvironmentThenXDG() throws {
        #expect(try earshot("db", "path").stdout == home.path + "/.local/share/earshot/earshot.sqlite\n")
        let xdg = try earshot("db", "path", environment: ["XDG_DATA_HOME": "/srv/data"])
        #expect(xdg.stdout == "/srv/data/earshot/earshot.sqlite\n")
        // XDG ignores relative values.
        let relative = try earshot("db", "path", environment: ["XDG_DATA_HOME": "relative/dir"])
        #expect(relative.stdout == home.path + "/.local/share/earshot/earshot.sqlite\n")
        let env = try earshot("db", "path", "--explain", environment: ["XDG_DATA_HOME": "/srv/data", "EARSHOT_DB": "/tmp/e.sqlite"])
        #expect(env.stdout == "/tmp/e.sqlite\t(from EARSHOT_DB)\n")
        let flag = try earshot("db", "path", "--db", "/tmp/f.sqlite", environment: ["EARSHOT_DB": "/tmp/e.sqlite"])
        #expect(flag.stdout == "/tmp/f.sqlite\n")
    }

    @Test func initCreatesAPrivateDatabaseThatChecksClean() throws {
        let created = try earshot("db", "init")
        #expect(created.status == 0, "\(created.stderr)")
        let path = home.path + "/.local/share/earshot/earshot.sqlite"
        #expect(created.stdout.hasPrefix("created \(path)"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let again = try earshot("db", "init")
        #expect(again.status == 0)
        #expect(again.stdout.contains("is up to date"))

        let check = try earshot("db", "check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("mentions      0"))
        #expect(check.stdout.hasSuffix("ok\n"))
    }

    @Test func checkReportsAMissingDatabaseAndAWorldReadableOne() throws {
        let missing = try earshot("db", "check", "--db", home.file("none.sqlite"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no database at \(home.file("none.sqlite")); create it with `earshot db init`"))
        #expect(!FileManager.default.fileExists(atPath: home.file("none.sqlite")))

        let path = home.file("open.sqlite")
        #expect(try earshot("db", "init", "--db", path).status == 0)
        chmod(path, 0o644)
        let check = try earshot("db", "check", "--db", path)
        #expect(check.status == 1)
        #expect(check.stdout.contains("file mode is 0644"))
    }

    @Test func checkFindsCorruption() throws {
        let path = home.file("corrupt.sqlite")
        #expect(try earshot("db", "init", "--db", path).status == 0)
        // Overwrite one whole page (a table's root): SQLite must notice, and we must say what to do.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 4096 * 3)
        handle.write(Data(repeating: 0xA5, count: 4096))
        try handle.close()
        let check = try earshot("db", "check", "--db", path)
        #expect(check.status == 1)
        #expect(check.stdout.contains("problem: the database file is damaged"))
        #expect(check.stdout.contains("restore it from a backup"))
    }
}
