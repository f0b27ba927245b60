// swift-tools-version:6.1
// The raw floor for bench/run: the three endpoints written directly on Hummingbird + PostgresNIO
// (PostgresClient, hand-written SQL, decoding and JSON, `async let` for /combined).
import PackageDescription

let package = Package(
    name: "RawFloor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
    ],
    targets: [
        .executableTarget(
            name: "RawFloor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        )
    ]
)
