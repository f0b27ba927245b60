import Foundation
import Quarry
import QuarryTesting
import Testing

/// A parent inserted with its new children (save-update), and a parent's children replaced, the
/// ones left out deleted (delete-orphan).
@Suite("Writes through relations")
struct RelatedWritesTests {
    @Test(arguments: Backend.allCases)
    func aParentWithNewChildrenAndOrphansDeleted(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self)
            let (ada, stored) = try await engine.withSession { session in
                var ada = User(name: "Ada", email: "ada@example.com")
                var posts = (1...3).map { Post(userId: 0, title: "p\($0)") }
                let before = recorder.statements.count
                try await session.insert(&ada, children: &posts, through: User.posts)
                // The parent, then the children in one statement (BEGIN aside).
                #expect(recorder.statements.dropFirst(before).filter { $0.hasPrefix("INSERT") }.count == 2)
                try await session.commit()
                return (ada, posts)
            }
            #expect(ada.id != nil)
            #expect(stored.allSatisfy { $0.userId == ada.id! && $0.id != nil })
            #expect(try await engine.all(select(Post.self).orderBy(\.id)) == stored)

            // Replace the children: the first left out (deleted), the second renamed, one added.
            let other = try await engine.one(insert(User(name: "B", email: "b@example.com")).returning())
            let theirs = try await engine.one(insert(Post(userId: other.id!, title: "theirs")).returning())
            try await engine.withSession { session in
                var posts = try await session.scalars(select(Post.self).where(\.userId == ada.id!).orderBy(\.id))
                posts.removeFirst()
                posts[0].title = "p2 renamed"
                posts.append(Post(userId: 0, title: "p4"))
                try await session.replaceChildren(of: ada, through: User.posts, with: posts)
                try await session.commit()
            }
            let now = try await engine.all(select(Post.self).where(\.userId == ada.id!).orderBy(\.id))
            #expect(now.map(\.title) == ["p2 renamed", "p3", "p4"])
            #expect(try await engine.oneOrNone(select(Post.self).where(\.id == stored[0].id!)) == nil)
            // The other user's post is untouched, and cannot be adopted by a replace.
            #expect(try await engine.one(select(Post.self).where(\.id == theirs.id!)) == theirs)
            try await engine.withSession { session in
                await #expect(throws: CompileError.self) {
                    try await session.replaceChildren(of: ada, through: User.posts, with: now + [theirs])
                }
                await session.rollback()
            }
            // An empty list deletes every child.
            try await engine.withSession { session in
                try await session.replaceChildren(of: ada, through: User.posts, with: [])
                try await session.commit()
            }
            #expect(try await engine.scalar(select(count(), from: Post.self).where(\.userId == ada.id!)) == 0)
            #expect(try await engine.scalar(select(count(), from: Post.self)) == 1)
        }
    }
}

/// One row per user at most: a unique foreign key.
@Table("bios")
struct Bio: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.unique, .references(User.self)) var userId: Int64
    var text: String
}

extension User {
    static let bio = HasOne<User, Bio>(\.userId)
}

@Suite("One-to-one relations")
struct OneToOneTests {
    @Test(arguments: Backend.allCases)
    func eachParentWithItsOneChildOrNone(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self, Bio.self)
            let users = try await engine.all(
                insert((0..<3).map { User(name: "u\($0)", email: "u\($0)@example.com") }).returning()
            )
            try await engine.execute(
                insert([Bio(userId: users[0].id!, text: "first"), Bio(userId: users[2].id!, text: "third")])
            )
            let before = recorder.statements.count
            let loaded = try await engine.all(select(User.self).orderBy(\.id).including(one: User.bio))
            #expect(recorder.statements.count - before == 2)
            #expect(loaded.map { $0.child?.text } == ["first", nil, "third"])
            #expect(loaded[1].name == "u1")
            // A relation declared one-to-one over a foreign key that is not unique: a typed error.
            try await engine.execute(
                insert([Post(userId: users[0].id!, title: "a"), Post(userId: users[0].id!, title: "b")])
            )
            do {
                _ = try await engine.all(select(User.self).including(one: HasOne<User, Post>(\.userId)))
                Issue.record("two children read as one")
            } catch let error as DatabaseError {
                #expect(error.code == .multipleResults && error.table == "posts")
            }
        }
    }
}

/// A parent with a two-column key, and children that reference it by both columns.
@Table("releases")
struct Release: Sendable, Equatable {
    @Column(.primaryKey) var label: String
    @Column(.primaryKey) var catalogNumber: Int32
    var title: String
}

@Table("pressings")
struct Pressing: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var label: String
    var catalogNumber: Int32
    var plant: String
}

extension Pressing {
    static let release = BelongsTo<Pressing, Release>(\.label, \.catalogNumber)
}

extension Release: CascadingDelete {
    static let pressings = HasMany<Release, Pressing>(\.label, \.catalogNumber)
    static let cascadingDeletes: [DeleteCascade<Release>] = [.delete(Release.pressings)]
}

@Suite("Relations over composite keys")
struct CompositeKeyRelationTests {
    @Test(arguments: Backend.allCases)
    func loadCountWriteAndCascadeByBothColumns(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(Release.self, Pressing.self)
            // ("Blue", 1) and ("Red", 1) share a catalog number; ("Blue", 2) shares a label.
            let releases = [
                Release(label: "Blue", catalogNumber: 1, title: "b1"),
                Release(label: "Blue", catalogNumber: 2, title: "b2"),
                Release(label: "Red", catalogNumber: 1, title: "r1"),
            ]
            try await engine.execute(insert(releases))
            try await engine.execute(
                insert([
                    Pressing(label: "Blue", catalogNumber: 1, plant: "p1"),
                    Pressing(label: "Red", catalogNumber: 1, plant: "p2"),
                    Pressing(label: "Blue", catalogNumber: 1, plant: "p3"),
                    Pressing(label: "Blue", catalogNumber: 2, plant: "p4"),
                ])
            )
            let ordered = select(Release.self).orderBy(Release.Columns.label.asc, Release.Columns.catalogNumber.asc)
            let before = recorder.statements.count
            let loaded = try await engine.all(ordered.including(all: Release.pressings))
            #expect(recorder.statements.count - before == 2)
            #expect(loaded.map { $0.children.map(\.plant) } == [["p1", "p3"], ["p4"], ["p2"]])
            #expect(try await engine.all(ordered.including(all: Release.pressings, using: .join)) == loaded)
            let first = try await engine.all(
                ordered.including(all: Release.pressings.orderBy(Pressing.Columns.plant.desc).first(1))
            )
            #expect(first.map { $0.children.map(\.plant) } == [["p3"], ["p4"], ["p2"]])
            #expect(try await engine.all(ordered.counting(Release.pressings)).map(\.1) == [2, 1, 1])
            // From the children: each pressing joined to its release by both columns (("Blue", 1)
            // and ("Red", 1) share a number, so a join on one column would pair it twice).
            let pressings = select(Pressing.self).orderBy(Pressing.Columns.plant.asc)
            let withRelease = try await engine.all(pressings.including(required: Pressing.release))
            #expect(withRelease.map { "\($0.plant) \($0.parent.title)" } == ["p1 b1", "p2 r1", "p3 b1", "p4 b2"])
            try await engine.execute(insert(Pressing(label: "Gone", catalogNumber: 9, plant: "p0")))
            let optional = try await engine.all(pressings.including(optional: Pressing.release))
            #expect(optional.map { $0.parent?.title ?? "-" } == ["-", "b1", "r1", "b1", "b2"])
            try await engine.execute(delete(from: Pressing.self).where(\.plant == "p0"))

            // Children inserted through the relation get both key columns.
            try await engine.withSession { session in
                var release = Release(label: "Green", catalogNumber: 1, title: "g1")
                var pressings = [Pressing(label: "", catalogNumber: 0, plant: "p5")]
                try await session.insert(&release, children: &pressings, through: Release.pressings)
                #expect(pressings[0].label == "Green" && pressings[0].catalogNumber == 1 && pressings[0].id != nil)
                try await session.commit()
            }
            // Deleting ("Blue", 1) takes exactly its two pressings.
            try await engine.withSession { session in
                try session.delete(releases[0])
                try await session.commit()
            }
            let left = try await engine.all(
                select(Pressing.Columns.plant, from: Pressing.self).orderBy(Pressing.Columns.plant.asc)
            )
            #expect(left == ["p2", "p4", "p5"])
        }
    }
}
