public import QuarryEngine
public import ServiceLifecycle

/// The engine as a swift-service-lifecycle `Service`: it runs until graceful shutdown (or
/// cancellation), then closes the pools. List it *before* anything that uses the database, so the
/// service group shuts it down last.
///
/// ```swift
/// let app = Application(router: router, services: [EngineService(engine), background])
/// ```
public struct EngineService: Service {
    /// The engine.
    public let engine: Engine

    /// Wraps `engine`.
    public init(_ engine: Engine) { self.engine = engine }

    public func run() async throws {
        try? await gracefulShutdown()
        await self.engine.shutdown()
    }
}
