"""Runs the SQLAlchemy side of docs/queries.md on the Chinook sample database (SQLite edition).

The guide's first ```python block declares the mapped classes; every later one builds `stmt`.
Each statement is executed with SQLAlchemy 2 and its rows compared with those of the ```sql block
that follows it in the guide, on the same database. (The Quarry side of each recipe is compared
with the same SQL by Tests/QuarryORMTests/Chinook/ChinookReportingTests.swift.)

The Chinook file names its tables and columns in PascalCase; a snake_case copy (the names of the
PostgreSQL edition, which the guide uses) is made in a temporary database first.

Usage: cookbook.py docs/queries.md   (exits 1 on any difference)
"""

import os
import re
import sqlite3
import sys
import tempfile
import warnings
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session


def chinook_file() -> Path:
    if os.environ.get("QUARRY_CHINOOK_DIR"):
        return Path(os.environ["QUARRY_CHINOOK_DIR"]) / "Chinook_Sqlite.sqlite"
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "corpora" / "chinook"
        if (candidate / "README.md").exists():
            return candidate / "Chinook_Sqlite.sqlite"
    return Path("/work/shared/corpora/chinook/Chinook_Sqlite.sqlite")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snake_case_copy(original: Path, target: Path) -> None:
    db = sqlite3.connect(target)
    db.execute(f"ATTACH DATABASE '{original}' AS chinook")
    tables = [row[0] for row in db.execute("SELECT name FROM chinook.sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [row[1] for row in db.execute(f'PRAGMA chinook.table_info("{table}")')]
        renamed = ", ".join(f'"{column}" AS {snake(column)}' for column in columns)
        db.execute(f'CREATE TABLE {snake(table)} AS SELECT {renamed} FROM chinook."{table}"')
    db.commit()
    db.execute("DETACH DATABASE chinook")
    db.close()


def blocks(markdown: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in re.finditer(r"```(\w+)\n(.*?)```", markdown, re.S)]


def text(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        rounded = round(float(value), 6)
        return str(int(rounded)) if rounded == int(rounded) else repr(rounded)
    return str(value)


def main() -> int:
    guide = Path(sys.argv[1]).read_text()
    found = blocks(guide)
    python = [i for i, (language, _) in enumerate(found) if language == "python"]
    if len(python) < 2:
        print("cookbook: no SQLAlchemy recipes found")
        return 1
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "chinook.db"
        snake_case_copy(chinook_file(), database)
        engine = create_engine(f"sqlite:///{database}")
        models: dict = {}
        exec(found[python[0]][1], models)
        failures = 0
        for index in python[1:]:
            code = found[index][1]
            following = [block for block in found[index + 1 :] if block[0] in ("sql", "python")]
            if not following or following[0][0] != "sql":
                print(f"cookbook: a recipe has no SQL block after it:\n{code}")
                failures += 1
                continue
            sql = following[0][1]
            scope = dict(models)
            exec(code, scope)
            with warnings.catch_warnings():
                # SQLite stores NUMERIC as REAL; SQLAlchemy warns about Decimal on such a backend.
                warnings.simplefilter("ignore")
                with Session(engine) as session:
                    alchemy = [[text(v) for v in row] for row in session.execute(scope["stmt"]).all()]
            plain = sqlite3.connect(database)
            written = [[text(v) for v in row] for row in plain.execute(sql).fetchall()]
            plain.close()
            if not alchemy or alchemy != written:
                failures += 1
                print(f"cookbook: SQLAlchemy and SQL differ ({len(alchemy)} vs {len(written)} rows):\n{code}")
                print("  first SQLAlchemy rows:", alchemy[:3])
                print("  first SQL rows:       ", written[:3])
        recipes = len(python) - 1
        print(f"cookbook: {recipes - failures} of {recipes} SQLAlchemy recipes give the SQL block's rows")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
