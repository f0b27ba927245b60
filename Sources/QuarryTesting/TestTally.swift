import Foundation

/// Counts database tests per backend for `scripts/test`'s summary: each test appends its backend
/// to the file named by `QUARRY_TEST_TALLY`, if set.
public enum TestTally {
    /// Records one database test run on `backend`.
    public static func record(_ backend: Backend) { self.record(backend.rawValue) }

    /// Records one database test run on the database named `name`.
    public static func record(_ name: String) {
        guard let path = ProcessInfo.processInfo.environment["QUARRY_TEST_TALLY"], !path.isEmpty else { return }
        let line = Data("\(name)\n".utf8)
        // O_APPEND writes of one short line are atomic, so parallel tests need no lock.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
