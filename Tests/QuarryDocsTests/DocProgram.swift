import Foundation
import QuarryTesting
import Testing

/// A program of the docs, run the way its reader runs it: from an empty directory, with
/// `DATABASE_URL` set, its output (stdout and stderr) collected.
struct DocProgram {
    let process = Process()
    let output = Pipe()
    let directory: URL

    /// Starts `binary` (built by `swift build`).
    init(_ binary: URL, databaseURL: String, environment extra: [String: String] = [:]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build it first (swift build)")
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("doc-program-\(UUID())")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.process.executableURL = binary
        self.process.currentDirectoryURL = self.directory
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment.merge(extra) { _, new in new }
        self.process.environment = environment
        self.process.standardOutput = self.output
        self.process.standardError = self.output
        try self.process.run()
    }

    /// Waits for the program to exit (on a thread of its own, not a cooperative one); returns
    /// everything it wrote.
    func finish() async throws -> String {
        try await BlockingWork.finish(self.process, reading: self.output).output
    }

    /// Stops the program if it still runs and removes its directory.
    func cleanUp() {
        if self.process.isRunning { self.process.terminate() }
        try? FileManager.default.removeItem(at: self.directory)
    }
}
