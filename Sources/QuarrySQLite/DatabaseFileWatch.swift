import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Notices an SQLite database file that was deleted or replaced while the engine runs.
///
/// Without it, connections opened before the deletion keep writing into the unlinked file (every
/// write "succeeds" and is lost), and connections opened after it create a new, empty database.
/// The watch remembers the file's identity (device and inode) when the first connection opens it;
/// a connection whose file is no longer that one is reported unusable (so the pool discards it),
/// and a new connection is refused rather than creating the file again. The engine then answers
/// `connectionFailed` until an operator restores the file or restarts the service.
final class DatabaseFileWatch: Sendable {
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    let path: String
    private let expected = Mutex<Identity?>(nil)

    init(path: String) { self.path = path }

    /// The identity of the file at ``path`` now, or `nil` when there is none.
    func currentIdentity() -> Identity? {
        var info = stat()
        guard stat(self.path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether a connection may be opened: always before the first one; afterwards only while the
    /// file is the one the first connection opened.
    func allowsOpening() -> Bool {
        guard let expected = self.expected.withLock({ $0 }) else { return true }
        return self.currentIdentity() == expected
    }

    /// Records the file's identity after the first connection opened (and so created) it.
    func recordOpened() {
        guard let identity = self.currentIdentity() else { return }
        self.expected.withLock { expected in
            if expected == nil { expected = identity }
        }
    }

    /// `false` once the file was deleted or replaced.
    var isIntact: Bool { self.allowsOpening() }
}
