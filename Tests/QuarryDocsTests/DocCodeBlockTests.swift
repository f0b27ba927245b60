import Foundation
import Testing

/// Every ```swift block of README.md and docs/ is code that a test compiles: each block must appear
/// (line by line, indentation aside) in a Swift file that the root package or the example package
/// builds — the README's Quick start in `DocSnippets/ReadmeQuickStart`, fragments in
/// `DocSnippets/DocFragments`, guides in the test targets that run them.
@Suite("Swift blocks in the docs")
struct DocCodeBlockTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Folders whose Swift files are compiled by `scripts/test`.
    static let compiledFolders = ["DocSnippets", "Tests", "Examples/PostsAPI/Sources", "Examples/PostsAPI/Tests"]

    static func normalized(_ text: some StringProtocol) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    static func markdownFiles() throws -> [URL] {
        let docs = root.appendingPathComponent("docs")
        let guides = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
            .sorted().map { docs.appendingPathComponent($0) }
        return [root.appendingPathComponent("README.md")] + guides
    }

    static func swiftBlocks(in markdown: String) -> [String] { self.blocks("swift", in: markdown) }

    static func blocks(_ language: String, in markdown: String) -> [String] {
        markdown.components(separatedBy: "```\(language)\n").dropFirst()
            .map { $0.components(separatedBy: "```")[0].trimmingCharacters(in: .newlines) }
    }

    static func compiledSource() throws -> String {
        var texts: [String] = []
        for folder in compiledFolders {
            let url = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: url.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".swift") && !path.contains(".build/") {
                texts.append(try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8))
            }
        }
        return normalized(texts.joined(separator: "\n"))
    }

    @Test func everySwiftBlockIsCompiled() throws {
        let source = try Self.compiledSource()
        var blocks = 0
        for file in try Self.markdownFiles() {
            let markdown = try String(contentsOf: file, encoding: .utf8)
            for block in Self.swiftBlocks(in: markdown) {
                blocks += 1
                #expect(
                    source.contains(Self.normalized(block)),
                    "a Swift block of \(file.lastPathComponent) is not in any compiled file:\n\(block)"
                )
            }
        }
        #expect(blocks >= 11)
    }

    /// The cookbook's SQL is the SQL its tests run: each ```sql block of docs/queries.md appears in
    /// a test (which compares the Quarry side's rows with it; scripts/differential compares the
    /// SQLAlchemy side's).
    @Test func everyCookbookSQLBlockIsTested() throws {
        let source = try Self.compiledSource()
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/queries.md"), encoding: .utf8)
        let blocks = Self.blocks("sql", in: guide)
        #expect(blocks.count >= 12)
        for block in blocks {
            #expect(source.contains(Self.normalized(block)), "an SQL block of queries.md is in no test:\n\(block)")
        }
    }
}
