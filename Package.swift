// swift-tools-version:6.1
import PackageDescription

// Module boundaries follow docs/architecture.md: Core knows nothing, Store knows SQL,
// Service knows the rules, TUI knows the screen, the executable knows the wiring.
let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "earshot", targets: ["earshot"]),
        .executable(name: "earshot-bench", targets: ["EarshotBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The daemon's long-running parts run as services: one SIGTERM drains them in order.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Live platform accounts: the HTTP client of server-side Swift (NIO, TLS, timeouts, streaming bodies).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Its own foundation, named because the accounts use its byte buffers and HTTP types directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // X's OAuth 1.0a user context signs each request with HMAC-SHA1.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Several daemons on one database (docs/scale-out.md): the PostgreSQL store's driver.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS to PostgreSQL as libpq's sslmode asks (already built for async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // SO_PEERCRED needs struct ucred, which Swift's Glibc import does not declare.
        .target(name: "CPeerCredentials"),
        .target(name: "EarshotCore"),
        .target(
            name: "EarshotStore",
            dependencies: [
                "EarshotCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "EarshotIngest", dependencies: ["EarshotCore", "EarshotStore"]),
        .target(
            name: "EarshotService",
            dependencies: [
                "EarshotCore", "EarshotStore", "CPeerCredentials",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The live demo's simulation: generated customers go in through ingest, simulated
        // teammates act through the service; kept apart so the service needs no ingest.
        .target(name: "EarshotDemo", dependencies: ["EarshotCore", "EarshotStore", "EarshotIngest", "EarshotService"]),
        // Live platform accounts (docs/accounts.md): connectors that read mentions and post
        // replies as services of the daemon, over async-http-client.
        .target(
            name: "EarshotAccounts",
            dependencies: [
                "EarshotCore", "EarshotStore", "EarshotIngest", "EarshotService",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A Mastodon-compatible server on loopback for the tests, the demo and the bench:
        // serves what the real API sends (shapes from recorded responses), faults on demand.
        // (EarshotAccounts for OAuth1Signer: the X stub checks signatures as X does.)
        .target(name: "EarshotPlatformStubs", dependencies: ["EarshotCore", "EarshotAccounts"]),
        .target(
            name: "EarshotTUI",
            dependencies: ["EarshotCore", "EarshotService", "CNcurses", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .executableTarget(
            name: "earshot",
            dependencies: [
                "EarshotCore", "EarshotStore", "EarshotIngest", "EarshotService", "EarshotDemo", "EarshotTUI",
                "EarshotAccounts", "EarshotPlatformStubs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "EarshotBench",
            dependencies: [
                "EarshotCore", "EarshotStore", "EarshotIngest", "EarshotService", "EarshotTUI", "EarshotAccounts", "EarshotPlatformStubs",
                "EarshotDemo", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Helpers shared by the test targets only (temp dirs, finding built binaries).
        .target(name: "EarshotTestSupport", dependencies: ["EarshotCore", "EarshotStore"], path: "Tests/EarshotTestSupport"),
        .testTarget(name: "EarshotCoreTests", dependencies: ["EarshotCore"]),
        .testTarget(
            name: "EarshotStoreTests",
            dependencies: ["EarshotCore", "EarshotStore", "EarshotTestSupport", "EarshotBench",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EarshotIngestTests",
            dependencies: ["EarshotCore", "EarshotStore", "EarshotIngest", "EarshotTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "EarshotServiceTests",
            dependencies: ["EarshotCore", "EarshotStore", "EarshotService", "EarshotTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EarshotDemoTests",
            dependencies: ["EarshotCore", "EarshotStore", "EarshotIngest", "EarshotService", "EarshotDemo", "EarshotTestSupport"]
        ),
        // Snapshots are text files beside the tests, found through #filePath so that
        // RECORD_SNAPSHOTS=1 can rewrite them in place; excluded, as they are not resources.
        .testTarget(
            name: "EarshotTUITests",
            dependencies: [
                "EarshotTUI", "EarshotTestSupport", "EarshotCore", "EarshotStore", "EarshotService",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "EarshotAccountsTests",
            dependencies: [
                "EarshotCore", "EarshotStore", "EarshotService", "EarshotAccounts", "EarshotPlatformStubs", "EarshotTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EarshotCLITests",
            dependencies: ["earshot", "EarshotService", "EarshotStore", "EarshotTestSupport", "EarshotPlatformStubs", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
