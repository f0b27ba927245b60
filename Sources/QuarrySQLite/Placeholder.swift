enum Placeholder {}
import SQLiteNIO
