// swift-tools-version:6.1
// The latency-injecting TCP proxy of bench/run's non-blocking proof (bench-only): every chunk a
// client sends reaches the server a fixed delay later; replies pass straight through.
import PackageDescription

let package = Package(
    name: "LatencyProxy",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        .executableTarget(
            name: "LatencyProxy",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        )
    ]
)
