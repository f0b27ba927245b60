import QuarryCore
import QuarryEngine
import Testing

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test(arguments: [
        "postgresql://app:s3cret@db.local:6543/appdb", "postgres://app:s3cret@db.local:6543/appdb",
        "postgresql+asyncpg://app:s3cret@db.local:6543/appdb",
    ])
    func postgresSchemes(_ string: String) throws {
        let url = try DatabaseURL(string)
        #expect(url.backend == .postgresql)
        #expect(url.username == "app")
        #expect(url.password == "s3cret")
        #expect(url.hosts.map(\.name) == ["db.local"])
        #expect(url.hosts.map(\.port) == [6543])
        #expect(url.database == "appdb")
        #expect(url.dialect == .postgresql)
    }

    @Test func descriptionMasksThePassword() throws {
        let url = try DatabaseURL("postgresql://app:s3cret@127.0.0.1/appdb?sslmode=require")
        #expect(!url.description.contains("s3cret"))
        #expect(url.description.contains("app"))
        #expect(url.query["sslmode"] == "require")
        #expect(url.hosts.first?.port == 5432)
    }

    @Test func sqliteForms() throws {
        #expect(try DatabaseURL("sqlite://posts.db").path == "posts.db")
        #expect(try DatabaseURL("sqlite:///var/data/posts.db").path == "/var/data/posts.db")
        let memory = try DatabaseURL("sqlite::memory:")
        #expect(memory.backend == .sqlite)
        #expect(memory.path == nil)
    }

    @Test(arguments: ["postgresql+psycopg2://u:p@h/db", "mysql+pymysql://u:p@h/db"])
    func syncDriversAreRefusedNamingTheAsyncOnes(_ string: String) {
        do {
            _ = try DatabaseURL(string)
            Issue.record("\(string) was accepted")
        } catch let error as DatabaseError {
            #expect(error.code == .syncDriverRefused)
            #expect(error.message.contains("asyncpg"))
            #expect(!error.description.contains(":p@"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [
        "oracle://h/db", "not a url", "postgresql://u@h:notaport/db", "postgresql://u@h/db?sslmode=sometimes",
    ])
    func invalidURLsThrowUnsupportedURL(_ string: String) {
        #expect(throws: DatabaseError.self) { try DatabaseURL(string) }
        do { _ = try DatabaseURL(string) } catch let error as DatabaseError {
            #expect(error.code == .unsupportedURL)
        } catch {}
    }
}

@Suite("Database URL round trip")
struct DatabaseURLRoundTripTests {
    @Test func connectionStringKeepsWhatDescriptionMasks() throws {
        let url = try DatabaseURL(
            "postgresql://app:p%40ss%2Fword@db:5433/appdb?sslmode=disable&application_name=my%20app"
        )
        #expect(url.password == "p@ss/word")
        let again = try DatabaseURL(url.connectionString)
        #expect(again.password == "p@ss/word")
        #expect(again.query["application_name"] == "my app")
        #expect(again.description == url.description)
        #expect(!url.description.contains("word"))
        #expect(try DatabaseURL(DatabaseURL("sqlite:///tmp/x.db").connectionString).path == "/tmp/x.db")
    }
}
