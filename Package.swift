// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Tests reach into many modules; they skip MemberImportVisibility's import bookkeeping.
let testSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "rundiary",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "RunDiaryModels", targets: ["RunDiaryModels"]),
        .library(name: "RunDiarySync", targets: ["RunDiarySync"]),
        .library(name: "RunDiaryImport", targets: ["RunDiaryImport"]),
        .executable(name: "rundiary", targets: ["rundiary"]),
        .executable(name: "rundiary-bench", targets: ["rundiary-bench"]),
        .executable(name: "rundiary-client", targets: ["rundiary-client"]),
        .executable(name: "rundiary-simulate", targets: ["rundiary-simulate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Shared with every client: Foundation only.
        .target(name: "RunDiaryModels", swiftSettings: swiftSettings),
        // Reads runs from watch and Strava files (FIT, TCX, GPX, Strava export ZIP); shared with clients, so Foundation
        // plus a ZIP reader only.
        .target(
            name: "RunDiaryImport",
            dependencies: ["RunDiaryModels", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        // The client engine an app links (iOS, macOS, Linux): SQLite through GRDB, HTTP through URLSession.
        .target(
            name: "RunDiarySync",
            dependencies: ["RunDiaryModels", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // What both command-line tools share: one-line failures with documented exit codes, and the `main()` that
        // reports them.
        .target(
            name: "RunDiaryCommandLine",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // A terminal diary on the engine; imports watch and Strava files as the device's own edits.
        .executableTarget(
            name: "rundiary-client",
            dependencies: [
                "RunDiarySync", "RunDiaryModels", "RunDiaryImport", "RunDiaryCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunDiaryStore",
            dependencies: [
                "Postgres",
                "RunDiaryModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // FHIR, CSV, the HTML and PDF report and ZIP archives, rendered from the store's snapshots into a byte sink:
        // no HTTP. The PDF is drawn with cairo.
        .target(
            name: "RunDiaryExports",
            dependencies: [
                "CCairo",
                "Postgres",
                "RunDiaryModels",
                "RunDiaryStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunDiaryServer",
            dependencies: [
                "Postgres",
                "RunDiaryExports",
                "RunDiaryImport",
                "RunDiaryModels",
                "RunDiaryStore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("OpenAPI/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rundiary",
            dependencies: [
                "Postgres",
                "RunDiaryCommandLine",
                "RunDiaryExports",
                "RunDiaryServer",
                "RunDiaryStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmark harness (docs/benchmarks.md): drives a release `rundiary serve` over loopback.
        .executableTarget(
            name: "rundiary-bench",
            dependencies: [
                "Postgres",
                "RunDiaryModels",
                "RunDiaryStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Many engines against a live server through a fault-injecting transport (docs/client.md).
        .target(
            name: "RunDiarySimulation",
            dependencies: ["RunDiarySync", "RunDiaryModels", "RunDiaryTestSupport", "RunDiaryStore", "Postgres"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rundiary-simulate",
            dependencies: ["RunDiarySimulation", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "RunDiaryModelsTests", dependencies: ["RunDiaryModels"], resources: [.copy("Fixtures")], swiftSettings: testSwiftSettings),
        // What the integration tests share: their own databases on the cluster `deploy/dev test` starts, the seeded
        // twelve-week diary, and independent readers (Python's zipfile, HL7's FHIR schema) for what exports produce.
        .target(
            name: "RunDiaryTestSupport",
            dependencies: [
                "Postgres", "RunDiaryImport", "RunDiaryModels", "RunDiaryStore", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/RunDiaryTestSupport",
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RunDiaryImportTests",
            dependencies: ["RunDiaryImport", "RunDiaryModels", "RunDiaryTestSupport"],
            // The fixture scripts run from their place in the checkout (see ImportFixtures).
            exclude: ["Fixtures"],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: [
                "CLibPQ", "Postgres", "RunDiaryTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RunDiaryStoreTests", dependencies: ["Postgres", "RunDiaryModels", "RunDiaryStore", "RunDiaryTestSupport"],
            swiftSettings: testSwiftSettings),
        .testTarget(
            name: "RunDiaryExportsTests",
            dependencies: ["Postgres", "RunDiaryExports", "RunDiaryModels", "RunDiaryStore", "RunDiaryTestSupport"],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RunDiaryServerTests",
            dependencies: [
                "Postgres",
                "RunDiaryModels",
                "RunDiaryServer",
                "RunDiaryStore",
                "RunDiaryImport",
                "RunDiaryTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        // These run the real `rundiary` (and `rundiary-client`) executables; depending on them makes every test build
        // rebuild them first, so the tests never run a stale binary (Subprocess.product finds them beside the bundle).
        .testTarget(
            name: "RunDiarySyncTests",
            dependencies: [
                "RunDiarySync", "RunDiarySimulation", "RunDiaryModels", "RunDiaryTestSupport", "Postgres", "rundiary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RunDiaryClientTests",
            dependencies: ["RunDiaryTestSupport", "RunDiaryImport", "rundiary", "rundiary-client"],
            swiftSettings: testSwiftSettings
        ),
        // Runs the real `rundiary` executable and the programs around it in production (nginx, PgBouncer, dpkg,
        // systemd); depending on the executable makes every test build rebuild it first, so the tests never run a stale
        // binary (Support/Rundiary.swift finds it beside the test bundle).
        .testTarget(
            name: "RunDiaryCLITests",
            dependencies: [
                "Postgres", "RunDiaryModels", "RunDiaryStore", "RunDiaryTestSupport", "rundiary",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: testSwiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
