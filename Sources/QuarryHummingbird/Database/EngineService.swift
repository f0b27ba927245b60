public import QuarryEngine
public import ServiceLifecycle

/// Earlier wrapper that made an ``QuarryEngine/Engine`` a `Service`. The engine is a `Service`
/// itself now (its `run()` owns its background work): list the engine.
///
/// ```swift
/// let app = Application(router: router, services: [engine, background])
/// ```
@available(*, deprecated, message: "Engine is a Service itself: list the engine in the service group")
public struct EngineService: Service {
    /// The engine.
    public let engine: Engine

    /// Wraps `engine`.
    public init(_ engine: Engine) { self.engine = engine }

    public func run() async throws { try await self.engine.run() }
}
