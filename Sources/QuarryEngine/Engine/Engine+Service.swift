public import ServiceLifecycle

/// The engine is a swift-service-lifecycle `Service`: ``Engine/run()`` owns its background work
/// and shuts it down on graceful shutdown or cancellation. List it before the services that use
/// the database, so the group shuts it down last.
///
/// ```swift
/// let group = ServiceGroup(services: [engine, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
extension Engine: Service {}
