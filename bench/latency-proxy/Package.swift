// swift-tools-version:6.1
// The latency-injecting TCP proxy of bench/run's non-blocking proof: every chunk a client sends
// reaches PostgreSQL a fixed delay later. A package of its own (swift-nio only), so Quarry's
// package builds nothing of the benchmarks.
import PackageDescription

let package = Package(
    name: "LatencyProxy",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0")
    ],
    targets: [
        .executableTarget(
            name: "LatencyProxy",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
