// Decoding 10,000 rows into a @Table struct through Quarry vs the raw driver, on SQLite and
// PostgreSQL, and compiling a typical select. `Benchmarks/run` starts PostgreSQL and sets
// QUARRY_BENCH_POSTGRES_URL; without it the PostgreSQL cases are skipped.
import Benchmark
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Quarry
import SQLiteNIO
import Synchronization

@Table("bench_users")
struct BenchUser: Sendable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    var email: String
    var score: Double
    var createdAt: Date
}

/// Raw-driver decoding target: the same fields, filled by hand.
struct RawUser: Sendable {
    var id: Int64
    var name: String
    var email: String
    var score: Double
    var createdAt: Date
}

let rowCount = 10_000

/// The posts shape of the bulk-load comparison (bench/bulk runs asyncpg and SQLAlchemy on the same
/// table): 100,000 rows per load.
@Table("bench_posts")
struct BenchPost: Sendable {
    @Column(.primaryKey) var id: Int64? = nil
    var userId: Int64
    var title: String
    var body: String
}

let bulkRowCount = 100_000
let bulkPosts = (0..<bulkRowCount).map {
    BenchPost(userId: Int64($0 % 1_000), title: "post \($0)", body: "body of post \($0), a line of text")
}

/// Collects raw rows from SQLiteNIO's `@Sendable` row callback.
final class RawCollector: Sendable {
    private let storage = Mutex<[RawUser]>([])
    func append(_ user: RawUser) { self.storage.withLock { $0.append(user) } }
    var users: [RawUser] { self.storage.withLock { $0 } }
}
let selectAll = "SELECT id, name, email, score, created_at FROM bench_users"

func seed(_ engine: Engine) async throws {
    try await engine.dropAll(BenchUser.self)
    try await engine.createAll(BenchUser.self)
    let base = Date(timeIntervalSince1970: 1_700_000_000)
    try await engine.transaction { tx in
        for chunk in stride(from: 0, to: rowCount, by: 500) {
            let users = (chunk..<chunk + 500).map {
                BenchUser(
                    name: "user \($0)",
                    email: "user\($0)@example.com",
                    score: Double($0) / 3,
                    createdAt: base.addingTimeInterval(Double($0))
                )
            }
            try await tx.execute(insert(users))
        }
    }
}

func sqliteBenchmarks() async throws -> () -> Void {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-bench-\(getpid()).db").path
    let engine = try Engine("sqlite://\(path)")
    try await seed(engine)
    let raw = try await SQLiteConnection.open(storage: .file(path: path))

    Benchmark("SQLite: decode 10k rows, Quarry @Table", configuration: .init(maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            let users = try await engine.all(select(BenchUser.self))
            precondition(users.count == rowCount)
            blackHole(users)
        }
    }
    Benchmark("SQLite: decode 10k rows, raw SQLiteNIO", configuration: .init(maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            let rows = try await raw.query(selectAll, [])
            let users = rows.map { row in
                let c = row.columns
                return RawUser(
                    id: Int64(c[0].data.integer!),
                    name: c[1].data.string!,
                    email: c[2].data.string!,
                    score: c[3].data.double!,
                    createdAt: TimestampFormat.parse(c[4].data.string!)!
                )
            }
            precondition(users.count == rowCount)
            blackHole(users)
        }
    }
    Benchmark("SQLite: 10k rows as Quarry Rows (no model decode)", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let rows = try await engine.all(SQL(unsafeRaw: selectAll))
            precondition(rows.count == rowCount)
            blackHole(rows)
        }
    }
    Benchmark("SQLite: decode 10k rows, raw SQLiteNIO row callback", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            // The callback API Quarry's driver uses: rows arrive on the thread pool.
            let collected = RawCollector()
            try await raw.query(selectAll, []) { row in
                let c = row.columns
                collected.append(
                    RawUser(
                        id: Int64(c[0].data.integer!),
                        name: c[1].data.string!,
                        email: c[2].data.string!,
                        score: c[3].data.double!,
                        createdAt: TimestampFormat.parse(c[4].data.string!)!
                    )
                )
            }
            let users = collected.users
            precondition(users.count == rowCount)
            blackHole(users)
        }
    }
    return {
        Task {
            try? await raw.close()
            await engine.shutdown()
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

func postgresBenchmarks(url: String) async throws {
    let engine = try Engine(url)
    try await seed(engine)
    let parsed = try DatabaseURL(url)
    var config = PostgresConnection.Configuration(
        host: parsed.hosts[0].name,
        port: parsed.hosts[0].port,
        username: parsed.username ?? "postgres",
        password: parsed.password,
        database: parsed.database,
        tls: .disable
    )
    config.options.requireBackendKeyData = true
    let raw = try await PostgresConnection.connect(
        on: MultiThreadedEventLoopGroup.singleton.any(),
        configuration: config,
        id: 1,
        logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    )

    try await engine.dropAll(BenchPost.self)
    try await engine.createAll(BenchPost.self)
    let bulk = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal],
        warmupIterations: 1,
        maxDuration: .seconds(20)
    )
    Benchmark("PostgreSQL: load 100k posts, bulkInsert (COPY)", configuration: bulk) { benchmark in
        for _ in benchmark.scaledIterations {
            try await engine.execute(SQL("TRUNCATE bench_posts"))
            benchmark.startMeasurement()
            let written = try await engine.execute(bulkInsert(bulkPosts))
            benchmark.stopMeasurement()
            precondition(written == bulkRowCount)
        }
    }
    Benchmark("PostgreSQL: load 100k posts, insert (multi-row, chunked)", configuration: bulk) { benchmark in
        for _ in benchmark.scaledIterations {
            try await engine.execute(SQL("TRUNCATE bench_posts"))
            benchmark.startMeasurement()
            let written = try await engine.execute(insert(bulkPosts))
            benchmark.stopMeasurement()
            precondition(written == bulkRowCount)
        }
    }
    let tenThousand = Array(bulkPosts.prefix(10_000))
    Benchmark("PostgreSQL: 10k session.add + commit", configuration: bulk) { benchmark in
        for _ in benchmark.scaledIterations {
            try await engine.execute(SQL("TRUNCATE bench_posts"))
            benchmark.startMeasurement()
            try await engine.withSession { session in
                for post in tenThousand { try session.add(post) }
                try await session.commit()
            }
            benchmark.stopMeasurement()
        }
    }
    Benchmark("PostgreSQL: 10k rows, one chunked insert … returning", configuration: bulk) { benchmark in
        for _ in benchmark.scaledIterations {
            try await engine.execute(SQL("TRUNCATE bench_posts"))
            benchmark.startMeasurement()
            let rows = try await engine.all(insert(tenThousand).returning())
            benchmark.stopMeasurement()
            precondition(rows.count == 10_000)
        }
    }

    Benchmark("PostgreSQL: decode 10k rows, Quarry @Table", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let users = try await engine.all(select(BenchUser.self))
            precondition(users.count == rowCount)
            blackHole(users)
        }
    }
    Benchmark("PostgreSQL: decode 10k rows, raw PostgresNIO", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            var users: [RawUser] = []
            users.reserveCapacity(rowCount)
            let rows = try await raw.query(PostgresQuery(unsafeSQL: selectAll), logger: raw.logger)
            for try await (id, name, email, score, createdAt) in rows.decode((Int64, String, String, Double, Date).self)
            {
                users.append(RawUser(id: id, name: name, email: email, score: score, createdAt: createdAt))
            }
            precondition(users.count == rowCount)
            blackHole(users)
        }
    }

    // A request's data work in isolation (the reference service's /user/{id} without HTTP): one
    // row by primary key, a thousand times one after another, through a session on the pool
    // against PostgresNIO's prepared statement on one connection. Their CPU time per get is the
    // toolkit's own cost per request.
    let keys = (1...1_000).map { Int64($0) }
    Benchmark("PostgreSQL: 1,000 gets by key, Quarry session", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys {
                let user = try await engine.withSession { session in try await session.get(BenchUser.self, id: key) }
                precondition(user != nil)
            }
        }
    }
    Benchmark("PostgreSQL: 1,000 gets by key, Quarry engine", configuration: .init(maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys {
                let user = try await engine.oneOrNone(select(BenchUser.self).where(\.id == key))
                precondition(user != nil)
            }
        }
    }
    Benchmark("PostgreSQL: 1,000 gets by key, raw PostgresNIO prepared", configuration: .init(maxDuration: .seconds(5)))
    {
        benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys {
                var user: RawUser?
                for try await (id, name, email, score, createdAt) in try await raw.execute(
                    UserByKey(id: key),
                    logger: raw.logger
                ) {
                    user = RawUser(id: id, name: name, email: email, score: score, createdAt: createdAt)
                }
                precondition(user != nil)
            }
        }
    }
}

/// The raw side of the gets-by-key comparison.
struct UserByKey: PostgresPreparedStatement {
    static let sql = "SELECT id, name, email, score, created_at FROM bench_users WHERE id = $1"
    typealias Row = (Int64, String, String, Double, Date)
    var id: Int64
    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(self.id)
        return bindings
    }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 3
    )

    Benchmark("Compile a typical select (PostgreSQL)") { benchmark in
        for _ in benchmark.scaledIterations {
            let compiled = try select(BenchUser.self)
                .where(\.email == "ada@example.com" && \.score > 10)
                .orderBy(descending: \.createdAt)
                .limit(20)
                .compile(for: .postgresql)
            blackHole(compiled)
        }
    }

    let setup = DispatchSemaphore(value: 0)
    Task {
        do {
            _ = try await sqliteBenchmarks()
            if let url = ProcessInfo.processInfo.environment["QUARRY_BENCH_POSTGRES_URL"] {
                try await postgresBenchmarks(url: url)
            }
        } catch {
            fatalError("benchmark setup failed: \(error)")
        }
        setup.signal()
    }
    setup.wait()
}
