// swift-tools-version:6.1
import CompilerPluginSupport
import PackageDescription

/// The upcoming features every target builds with (Swift 6 language mode, strict concurrency).
let baseSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Nonisolated async functions run on their caller's actor (SE-0461): closure-taking APIs
/// (`withSession`, `transaction`, `withConnection`) can then be called from main.swift, a @main
/// type, the main actor or any actor without "sending" errors. See docs/architecture.md.
/// The Hummingbird integration keeps Swift 6's default: it implements Hummingbird's protocols,
/// which are built that way.
let swiftSettings: [SwiftSetting] = baseSwiftSettings + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]


let package = Package(
    name: "Quarry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Quarry", targets: ["Quarry"]),
        .library(name: "QuarryCore", targets: ["QuarryCore"]),
        .library(name: "QuarryEngine", targets: ["QuarryEngine"]),
        .library(name: "QuarryORM", targets: ["QuarryORM"]),
        .library(name: "QuarryTesting", targets: ["QuarryTesting"]),
        .library(name: "QuarryHummingbird", targets: ["QuarryHummingbird"]),
        .library(name: "QuarryPostgres", targets: ["QuarryPostgres"]),
        .library(name: "QuarrySQLite", targets: ["QuarrySQLite"]),
        .library(name: "QuarryCLI", targets: ["QuarryCLI"]),
        .executable(name: "quarry", targets: ["quarry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // OpenAPI documents of typed routes; without the external-loading trait, which builds slower.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // The `quarry` command line (QuarryCLI) only; a package depending on Quarry never builds it.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Documentation only (`swift package generate-documentation`); no target depends on it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // The property → column naming rule, for both the @Table expansion (built for the host) and
        // QuarryCore. Not a product.
        .target(name: "QuarryNaming", swiftSettings: swiftSettings),
        // The expansions of @Table and @Column: a plain library, so QuarryMacrosTests depends on it
        // and not on the macro. (SwiftPM builds every test target for the host, with a second copy
        // of each library it uses, as soon as one test target depends on a macro directly.)
        .target(
            name: "QuarryMacroExpansions",
            dependencies: [
                "QuarryNaming",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),
        // The compiler plugin that serves those expansions to QuarryCore.
        .macro(
            name: "QuarryMacros",
            dependencies: [
                "QuarryMacroExpansions",
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryCore",
            dependencies: ["QuarryMacros", "QuarryNaming"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryEngine",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "QuarryCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the two drivers share on top of SwiftNIO (an event loop as a task executor, the
        // statement watch's check on a connection's loop). Not a product.
        .target(
            name: "QuarryNIO",
            dependencies: ["QuarryEngine", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryPostgres",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "QuarryEngine",
                "QuarryNIO",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarrySQLite",
            dependencies: [
                "QuarryEngine",
                "QuarryNIO",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryORM",
            dependencies: [
                "QuarryCore", "QuarryEngine", "QuarryNaming",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Quarry",
            dependencies: [
                "QuarryCore", "QuarryEngine", "QuarryORM", "QuarryPostgres", "QuarrySQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `quarry reflect|migrate|revision|sql`: the commands, for the `quarry` executable and for
        // an application's own migrations executable.
        .target(
            name: "QuarryCLI",
            dependencies: ["Quarry", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quarry",
            dependencies: ["QuarryCLI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryHummingbird",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "Quarry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: baseSwiftSettings
        ),
        // The README's Quick start as a new user pastes it: top-level code in main.swift, and the
        // same code in a @main type. Not products: a package depending on Quarry never builds
        // them. Generated from README.md and checked against it by QuarryDocsTests.
        .executableTarget(
            name: "ReadmeQuickStart",
            dependencies: ["Quarry"],
            path: "DocSnippets/ReadmeQuickStart",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ReadmeQuickStartApp",
            dependencies: ["Quarry"],
            path: "DocSnippets/ReadmeQuickStartApp",
            swiftSettings: swiftSettings
        ),
        // docs/web.md's program (a two-model web service), run by QuarryDocsTests.WebGuideTests.
        .executableTarget(
            name: "WebGuide",
            dependencies: ["Quarry", "QuarryHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
            path: "DocSnippets/WebGuide",
            swiftSettings: baseSwiftSettings
        ),
        // docs/migrations.md's app: models, generated migrations and the `migrate` executable.
        .executableTarget(
            name: "MigrationsGuide",
            dependencies: ["Quarry", "QuarryCLI"],
            path: "DocSnippets/MigrationsGuide",
            swiftSettings: swiftSettings
        ),
        // The Swift blocks of docs/ that need a live deployment (replicas, PgBouncer): compiled
        // with only `import Quarry`, never run; checked against the docs by QuarryDocsTests.
        .target(
            name: "DocFragments",
            dependencies: ["Quarry"],
            path: "DocSnippets/DocFragments",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryTesting",
            dependencies: [
                "Quarry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryCoreTests",
            dependencies: ["QuarryCore", "QuarryNaming"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryMacrosTests",
            dependencies: [
                "QuarryMacroExpansions",
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryEngineTests",
            dependencies: ["QuarryEngine", "QuarryTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryORMTests",
            dependencies: [
                "Quarry", "QuarryTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryDocsTests",
            dependencies: ["Quarry", "QuarryTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryHummingbirdTests",
            dependencies: [
                "QuarryHummingbird", "QuarryTesting", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarrySchemaTests",
            dependencies: ["QuarryCLI", "Quarry", "QuarryTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriverConformanceTests",
            dependencies: [
                "Quarry", "QuarryTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// `QUARRY_TEST_TARGETS=A,B` declares only those test targets. scripts/test-tsan sets it: its
/// instrumented build compiles everything the test bundle links a second time, and its suites live
/// in three of the test targets; the others would add Hummingbird, OpenAPIKit and a second copy of
/// swift-syntax to that build. Unset (always, for a package depending on Quarry), every test
/// target is declared. A name that is not a test target stops the manifest, so a renamed suite is
/// not silently left out of the run.
if let kept = Context.environment["QUARRY_TEST_TARGETS"]?.split(separator: ",").map(String.init) {
    let testTargets = Set(package.targets.filter { $0.type == .test }.map(\.name))
    for name in kept where !testTargets.contains(name) {
        fatalError("QUARRY_TEST_TARGETS names \(name), which is not a test target of Package.swift")
    }
    package.targets.removeAll { $0.type == .test && !kept.contains($0.name) }
}
