// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Tradeoff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tradeoff", targets: ["tradeoff"]),
        .executable(name: "fake-provider", targets: ["fake-provider"]),
        .library(name: "TradeoffKit", targets: ["TradeoffKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // SHA-256 for content hashes and request keys (BoringSSL's, several times faster than ours was).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The fake provider only: a real HTTP/1.1 server, so tests exercise libcurl end to end.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libcurl and libpq, opened when first used: loading them and the thirty libraries each
        // brings was half of every command's start-up. Their headers come with
        // libcurl4-openssl-dev and libpq-dev.
        .target(name: "CLazyLibrary"),
        .target(name: "CCurl", dependencies: ["CLazyLibrary"]),
        // The shared history in PostgreSQL: libpq, not a driver with its own TLS and event loop.
        .target(name: "CLibPQ", dependencies: ["CLazyLibrary"]),
        // The tests alone: inflating the browser's PNG screenshots of the HTML report.
        .systemLibrary(
            name: "CZlib",
            path: "Tests/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc told to map large blocks apart (`LargeAllocations`).
        .target(name: "CMalloc"),
        // SQLite in multi-thread mode from the start (GRDB never shares a connection between threads).
        .target(
            name: "CSQLiteSetup",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "TradeoffKit",
            dependencies: [
                "CCurl",
                "CMalloc",
                "CSQLiteSetup",
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own functions, for reading a big run's rows without a decode per cell.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/prices.yaml"), .copy("Resources/price-names.yaml")]
        ),
        .executableTarget(
            name: "tradeoff",
            dependencies: [
                "TradeoffKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "FakeProvider",
            dependencies: [
                // `answers_from:` loads a suite as `tradeoff run` does, to answer its cases.
                "TradeoffKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "fake-provider",
            dependencies: [
                "FakeProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: the harness measured against the fake provider; not shipped.
        .executableTarget(
            name: "tradeoff-bench",
            dependencies: [
                "TradeoffKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "TradeoffTestSupport",
            dependencies: ["TradeoffKit", "FakeProvider"]
        ),
        .testTarget(
            name: "TradeoffKitTests",
            dependencies: [
                "TradeoffKit",
                "TradeoffTestSupport",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FakeProviderTests",
            dependencies: ["FakeProvider"]
        ),
        .testTarget(
            name: "TradeoffCLITests",
            dependencies: [
                "tradeoff", "fake-provider", "TradeoffTestSupport",
                // Reads the CI examples in examples/ci/ to check their command lines.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
