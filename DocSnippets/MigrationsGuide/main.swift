// Sources/migrate/main.swift: the quarry commands with this app's migrations and models.
import Foundation
import QuarryCLI

let tool = QuarryTool(
    migrations: AppSchema.migrations,
    models: AppSchema.models,
    migrationsDirectory: "Sources/App/Migrations"
)
exit(await tool.run(Array(CommandLine.arguments.dropFirst())))
