// swift-format-ignore-file
// The Swift blocks of docs/scaling.md, compiled the way a new user pastes them (only
// `import Quarry`). DocCodeBlockTests checks that every block of README.md and docs/ appears in a
// compiled file; these fragments need a live primary and replicas, so they are compiled, not run.
import Quarry

@Table("users")
struct ReplicaUser: Sendable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
}

func scalingGuideReplicas() async throws {
    typealias User = ReplicaUser
    let engine = try Engine(primary: "postgresql://app@db-primary/app",
                            replicas: ["postgresql://app@db-replica-1/app", "postgresql://app@db-replica-2/app"])
    let user = try await engine.oneOrNone(select(User.self).where(\.id == 42))   // a replica
    try await engine.execute(insert(User(name: "Grace")))                        // the primary
    let fresh = try await engine.primary.one(select(User.self).where(\.id == 42)) // forced primary
    _ = (user, fresh)
}
