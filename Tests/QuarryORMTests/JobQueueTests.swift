import Foundation
import Quarry
import QuarryTesting
import Synchronization
import Testing

/// A job queue as applications write it on PostgreSQL: workers take the next job with
/// `SELECT … FOR UPDATE SKIP LOCKED` inside a transaction, so concurrent workers never take the
/// same job and never wait on each other.
@Table("queued_jobs")
struct QueuedJob: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var payload: String
    var takenBy: Int64?
}

@Suite("Job queue")
struct JobQueueTests {
    @Test func tenWorkersTakeEveryJobExactlyOnce() async throws {
        // PostgreSQL only (SQLite has no row locks): not part of the per-backend count.
        let database = try await TestDatabase.make(.postgres)
        var configuration = EngineConfiguration()
        configuration.poolSize = 10
        try await database.run(Engine(url: database.url, configuration: configuration)) {
            (engine: Engine) async throws in
            try await engine.createAll(QueuedJob.self)
            try await engine.execute(insert((0..<300).map { QueuedJob(payload: "job \($0)") }))
            let taken = TakenJobs()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 1...10 {
                    group.addTask {
                        while true {
                            let job: QueuedJob? = try await engine.withTransaction { tx in
                                guard
                                    let job = try await tx.oneOrNone(
                                        select(QueuedJob.self).where(\.takenBy == nil).orderBy(QueuedJob.Columns.id.asc)
                                            .limit(1)
                                            .forUpdate(.skipLocked)
                                    )
                                else { return nil }
                                try await tx.execute(
                                    update(QueuedJob.self).set(\.takenBy, to: Int64(worker)).where(\.id == job.id!)
                                )
                                return job
                            }
                            guard let job else { return }
                            taken.counts.withLock { $0[job.id!, default: 0] += 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let counts = taken.counts.withLock { $0 }
            #expect(counts.count == 300)
            #expect(counts.values.allSatisfy { $0 == 1 })
            #expect(try await engine.scalar(select(count(), from: QueuedJob.self).where(\.takenBy == nil)) == 0)
            let workers = try await engine.all(select(QueuedJob.Columns.takenBy, from: QueuedJob.self).distinct())
            #expect(workers.count > 1)
        }
    }
}

/// How many times each job was taken, shared by the workers.
final class TakenJobs: Sendable {
    let counts = Mutex<[Int64: Int]>([:])
}
