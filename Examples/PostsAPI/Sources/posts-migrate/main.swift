import Foundation
import PostsAPI
import QuarryCLI

// The service's migrations and models behind the `quarry` commands:
//   swift run posts-migrate migrate up --database-url sqlite://posts.db
//   swift run posts-migrate revision --autogenerate -m "add a post summary"
let tool = QuarryTool(
    migrations: PostsMigrations.all,
    models: PostsMigrations.models,
    migrationsDirectory: "Sources/PostsAPI/Migrations"
)
exit(await tool.run(Array(CommandLine.arguments.dropFirst())))
