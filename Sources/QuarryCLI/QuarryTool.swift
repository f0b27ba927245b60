import ArgumentParser
import Foundation
public import Quarry

/// The `quarry` command line: `reflect`, `migrate up|down|status|history`, `revision`, `sql`.
///
/// `quarry reflect` needs only a database URL, so the `quarry` executable product runs it
/// directly. The migration commands need the application's migrations and models, which only
/// the application's code has: an app gets them with a four-line executable target of its own,
/// so the commands run its real migrations (Swift code included) with its real models —
/// no code generation or plugin sandbox in between.
///
/// ```swift
/// // Sources/migrate/main.swift of the app
/// import QuarryCLI
///
/// let tool = QuarryTool(migrations: [.m20261129120000CreateUsers], models: [User.self, Post.self])
/// exit(await tool.run(Array(CommandLine.arguments.dropFirst())))
/// ```
public struct QuarryTool: Sendable {
    /// The application's migrations, in order.
    public var migrations: [Migration]
    /// The application's models: what `revision --autogenerate` compares the database with.
    public var models: [any Table.Type]
    /// Where `revision` writes new migration files (relative to the working directory).
    public var migrationsDirectory: String

    /// Creates the tool for an application (or with nothing, for `reflect` alone).
    public init(migrations: [Migration] = [], models: [any Table.Type] = [], migrationsDirectory: String = "Migrations")
    {
        self.migrations = migrations
        self.models = models
        self.migrationsDirectory = migrationsDirectory
    }

    /// Parses `arguments` (without the program name) and runs the command. Results go to
    /// `output`, progress and errors to `messages` (stdout and stderr by default).
    /// - Returns: The exit code: 0 on success, 1 on a failure (one line on `messages`), 64 on a
    ///   usage error.
    public func run(
        _ arguments: [String],
        output: @escaping @Sendable (String) -> Void = StandardStreams.output,
        messages: @escaping @Sendable (String) -> Void = StandardStreams.error
    ) async -> Int32 {
        let command: any ParsableCommand
        do {
            command = try QuarryCommand.parseAsRoot(arguments)
        } catch {
            let code = QuarryCommand.exitCode(for: error).rawValue
            (code == 0 ? output : messages)(QuarryCommand.fullMessage(for: error))
            return code
        }
        guard let runnable = command as? any ToolCommand else {
            // `quarry`, `quarry migrate`, `quarry help reflect`, `quarry reflect --help` (which the
            // parser answers with its own help command): the help of the command named.
            output(QuarryCommand.helpMessage(for: QuarryCommand.helpTarget(arguments)))
            return 0
        }
        let io = ToolIO(output: output, messages: messages)
        do {
            try await runnable.run(self, io)
            return 0
        } catch let error as ToolFailure {
            messages("quarry: \(error.message)")
            return error.code
        } catch {
            messages("quarry: \(ToolFailure.describe(error))")
            return 1
        }
    }
}

/// Writing to the process's standard streams, the defaults of ``QuarryTool/run(_:output:messages:)``.
public enum StandardStreams {
    /// Writes a line to standard output.
    public static let output: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
    /// Writes a line to standard error.
    public static let error: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

/// Where a command writes.
struct ToolIO: Sendable {
    let output: @Sendable (String) -> Void
    let messages: @Sendable (String) -> Void
}

/// A command the tool runs with the application's migrations and models.
protocol ToolCommand: ParsableCommand {
    func run(_ tool: QuarryTool, _ io: ToolIO) async throws
}

/// A failure reported as one line.
struct ToolFailure: Error {
    var message: String
    var code: Int32 = 1

    /// One line for any error: the typed errors' own descriptions, newlines folded.
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case let error as MigrationError: text = "\(error)"
        case let error as DatabaseError: text = "\(error)"
        default: text = "\(error)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
