import Foundation
import Quarry
import QuarryTesting
import Testing

/// The README's Quick start, the way a new user pastes it: its Swift block is the `main.swift` of
/// the `ReadmeQuickStart` executable target, and the same code in a `@main` type is
/// `ReadmeQuickStartApp` (both only `import Quarry`, both built with zero warnings by
/// `scripts/test`). These tests keep the two files equal to the README and run both programs on
/// SQLite and PostgreSQL. After editing the README, regenerate the files with
/// `QUARRY_UPDATE_SNIPPETS=1 swift test --filter ReadmeQuickStart`.
@Suite("README Quick start")
struct ReadmeQuickStartTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let header =
        "// Generated from README.md's Quick start by ReadmeQuickStartTests; edit the README, then run\n"
        + "// QUARRY_UPDATE_SNIPPETS=1 swift test --filter ReadmeQuickStart\n"

    /// The first ```swift block after the "## Quick start" heading.
    static func quickStartBlock() throws -> [String] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let heading = lines.firstIndex(where: { $0.hasPrefix("## Quick start") }),
            let open = lines[heading...].firstIndex(of: "```swift"),
            let close = lines[(open + 1)...].firstIndex(of: "```")
        else { throw CocoaError(.fileReadCorruptFile) }
        return Array(lines[(open + 1)..<close])
    }

    /// The block as top-level code.
    static func mainSwift(_ block: [String]) -> String {
        header + block.joined(separator: "\n") + "\n"
    }

    /// The block in a `@main` type: imports and declarations at file scope, statements in `main()`.
    static func appSwift(_ block: [String]) -> String {
        var fileScope: [String] = []
        var statements: [String] = []
        var inDeclaration = false
        for line in block {
            if line.hasPrefix("import ") || line.hasPrefix("@") || inDeclaration {
                fileScope.append(line)
                if line.hasPrefix("struct ") || line.hasPrefix("@") { inDeclaration = true }
                if line == "}" { inDeclaration = false }
            } else if fileScope.last == "}" || fileScope.last?.hasPrefix("import ") == true, line.isEmpty,
                statements.isEmpty
            {
                fileScope.append(line)
            } else {
                statements.append(line.isEmpty ? "" : "        " + line)
            }
        }
        return header + fileScope.joined(separator: "\n") + "\n@main\nstruct QuickStartApp {\n"
            + "    static func main() async throws {\n" + statements.joined(separator: "\n") + "\n    }\n}\n"
    }

    static let files: [(path: String, make: @Sendable ([String]) -> String)] = [
        ("DocSnippets/ReadmeQuickStart/main.swift", mainSwift),
        ("DocSnippets/ReadmeQuickStartApp/App.swift", appSwift),
    ]

    @Test func snippetTargetsMatchTheReadme() throws {
        let block = try Self.quickStartBlock()
        #expect(block.first == "import Quarry")
        for file in Self.files {
            let url = Self.root.appendingPathComponent(file.path)
            let expected = file.make(block)
            if ProcessInfo.processInfo.environment["QUARRY_UPDATE_SNIPPETS"] == "1" {
                try expected.write(to: url, atomically: true, encoding: .utf8)
            }
            let actual = try String(contentsOf: url, encoding: .utf8)
            #expect(actual == expected, "\(file.path) differs from README.md's Quick start: regenerate it")
        }
    }

    @Test(arguments: Backend.allCases, ["ReadmeQuickStart", "ReadmeQuickStartApp"])
    func quickStartRuns(_ backend: Backend, _ program: String) async throws {
        let binary = Self.root.appendingPathComponent(".build/debug/\(program)")
        let database = try await TestDatabase.make(backend)
        TestTally.record(backend)
        try await database.run(Engine(url: database.url)) { _ in
            let program = try DocProgram(binary, databaseURL: database.url.connectionString)
            defer { program.cleanUp() }
            let text = try await program.finish()
            #expect(program.process.terminationStatus == 0, "\(text)")
            #expect(text.contains("inserted Ada; 1 user(s) in all"), "\(text)")
            #expect(text.contains("renamed 1 user(s)"), "\(text)")
            #expect(text.contains("SELECT"), "echo logs each statement: \(text)")
        }
    }
}
