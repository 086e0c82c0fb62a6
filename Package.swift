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
        .executable(name: "rundiary", targets: ["rundiary"]),
        .executable(name: "rundiary-bench", targets: ["rundiary-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Shared with every client: Foundation only.
        .target(name: "RunDiaryModels", swiftSettings: swiftSettings),

        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
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
        .target(
            name: "RunDiaryServer",
            dependencies: [
                "RunDiaryStore",
                "RunDiaryModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                "Postgres",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("OpenAPI/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rundiary",
            dependencies: [
                "Postgres",
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
                "RunDiaryModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "RunDiaryModelsTests", dependencies: ["RunDiaryModels"], resources: [.copy("Fixtures")], swiftSettings: testSwiftSettings),
        // What the integration tests share: their own databases on the cluster `deploy/dev test` starts.
        .target(
            name: "RunDiaryTestSupport",
            dependencies: ["Postgres", "RunDiaryStore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/RunDiaryTestSupport",
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
            name: "RunDiaryServerTests",
            dependencies: [
                "RunDiaryServer",
                "RunDiaryStore",
                "RunDiaryModels",
                "Postgres",
                "RunDiaryTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RunDiaryCLITests",
            dependencies: ["RunDiaryStore", "RunDiaryModels", "Postgres", "RunDiaryTestSupport"],
            swiftSettings: testSwiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
