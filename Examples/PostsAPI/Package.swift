// swift-tools-version:6.1
// The reference users/posts service built on Quarry: the `PostsAPI` library (routes, models,
// buildApplication) and the `posts-api` command line (serve, migrate, seed). A package of its own,
// depending on Quarry by path, so a package that depends on Quarry builds none of it (nor
// swift-argument-parser or swift-prometheus, which only the service uses).
import Foundation
import PackageDescription

/// A path dependency is named after its folder; Quarry's checkout may have any name.
let quarryPackage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PostsAPI",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PostsAPI", targets: ["PostsAPI"]),
        .executable(name: "posts-api", targets: ["posts-api"]),
        .executable(name: "posts-migrate", targets: ["posts-migrate"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "PostsAPI",
            dependencies: [
                .product(name: "Quarry", package: quarryPackage),
                .product(name: "QuarryHummingbird", package: quarryPackage),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "posts-api",
            dependencies: [
                "PostsAPI",
                .product(name: "Quarry", package: quarryPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The service's migrations through the `quarry` commands: `swift run posts-migrate migrate status`,
        // `… revision --autogenerate -m "…"` (docs/migrations.md).
        .executableTarget(
            name: "posts-migrate",
            dependencies: ["PostsAPI", .product(name: "QuarryCLI", package: quarryPackage)],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostsAPITests",
            dependencies: [
                "PostsAPI",
                .product(name: "Quarry", package: quarryPackage),
                .product(name: "QuarryHummingbird", package: quarryPackage),
                .product(name: "QuarryTesting", package: quarryPackage),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
