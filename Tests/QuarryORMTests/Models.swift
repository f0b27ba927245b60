// swift-format-ignore-file
// docs/sessions.md shows lines of this file verbatim (DocCodeBlockTests checks it): it keeps its own layout.
import Foundation
import Quarry
import QuarryTesting

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
    var createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000.5)
}

@Table("posts")
struct Post: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(User.self), .indexed) var userId: Int64
    var title: String
    var body: String = ""
}

@Table("comments")
struct Comment: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Post.self)) var postId: Int64
    var text: String
}

@Table("accounts")
struct Account: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var balance: Int64
}

extension User {
    static let posts = HasMany<User, Post>(\.userId)
}

extension Post {
    static let author = BelongsTo<Post, User>(\.userId)
}

/// An engine that echoes into a recorder, so tests can count and read the SQL that ran.
func withRecordingEngine<R>(
    _ backend: Backend,
    poolSize: Int = 5,
    _ body: (Engine, LogRecorder) async throws -> R
) async throws -> R {
    let recorder = LogRecorder()
    return try await withTestEngine(backend, configure: {
        $0.echo = true
        $0.poolSize = poolSize
        $0.logger = recorder.logger()
    }) { engine in
        try await body(engine, recorder)
    }
}

extension LogRecorder {
    /// The SQL of every statement echoed so far.
    var statements: [String] {
        self.entries.filter { $0.message == "SQL" }.compactMap { $0.metadata["db.query.text"] }
    }
}

/// A table with a column declared sensitive.
@Table("logins")
struct Login: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.sensitive, .unique) var token: String
}

/// A composite primary key (Chinook's `playlist_track`).
@Table("playlist_entries")
struct PlaylistEntry: Sendable, Equatable {
    @Column(.primaryKey) var playlistId: Int64
    @Column(.primaryKey) var trackId: Int64
    var position: Int32
}
