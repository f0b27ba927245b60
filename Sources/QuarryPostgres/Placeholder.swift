enum Placeholder {}
import PostgresNIO
