import Foundation
import QuarryCLI

// `quarry reflect <url>` needs nothing of an application; the migration commands run through the
// application's own QuarryTool executable (see docs/migrations.md).
exit(await QuarryTool().run(Array(CommandLine.arguments.dropFirst())))
