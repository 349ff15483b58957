"""Numbered, transactional schema migrations.

Each migration has a name that starts with its number (``0001_initial``) and a function
that changes the schema. They are applied with sqlite-utils' ``Migrations``, which records
every applied migration in ``_sqlite_migrations`` inside the same transaction as the
migration itself; we also keep ``PRAGMA user_version`` equal to the highest applied
number. Reading the version needs plain SQL only, so opening an up-to-date workspace
does not import sqlite-utils at all (it pulls in numpy when installed: 0.15 s of startup).

To add a migration: write ``schema_vN.py`` (or a few statements), append it to
:data:`MIGRATIONS` with the next number, describe it in ``docs/schema.md``, and add a test
that migrates the fixture workspace of every earlier version (``tests/store/fixtures``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from socialdesk.store import schema_v1, schema_v2

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "socialdesk"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' Migrations.migrations_table

Migration = tuple[str, Callable[["Database"], None]]


def split_statements(script: str) -> Iterator[str]:
    """Yield the complete SQL statements of ``script`` (triggers included) one by one.

    ``executescript`` would commit the surrounding transaction, so migrations run
    their statements one at a time instead.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement at end of script: {pending.strip()[:80]}")


def run_script(db: Database, script: str) -> None:
    """Execute every statement of ``script`` inside the current transaction."""
    for statement in split_statements(script):
        db.conn.execute(statement)


def _initial(db: Database) -> None:
    run_script(db, schema_v1.SQL)


def _post_occurrences(db: Database) -> None:
    run_script(db, schema_v2.SQL)


# Every migration, oldest first. Never edit or remove a released one; append.
MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_post_occurrences", _post_occurrences),
)


def migration_number(name: str) -> int:
    """Return the number a migration name starts with (``0007_x`` → 7)."""
    head = name.split("_", 1)[0]
    if not head.isdigit():
        raise ValueError(f"migration name {name!r} does not start with a number")
    return int(head)


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """The schema version this SocialDesk writes."""
    return max(migration_number(name) for name, _ in migrations)


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in the workspace, in the order applied (read-only)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    ).fetchall()
    return [row[0] for row in rows]


def applied_version(conn: sqlite3.Connection) -> int:
    """The highest schema version recorded in the workspace (0 for an empty database)."""
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    recorded = max((migration_number(n) for n in applied_names(conn)), default=0)
    return max(user_version, recorded)


def unknown_applied(
    conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Names of migrations recorded in the workspace that this SocialDesk does not know."""
    known = {name for name, _ in migrations}
    return [name for name in applied_names(conn) if name not in known]


def pending(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Names of the migrations still to apply."""
    done = set(applied_names(conn))
    return [name for name, _ in migrations if name not in done]


def _migration_set(migrations: Sequence[Migration]) -> Migrations:
    from sqlite_utils.migrations import Migrations

    registered = Migrations(MIGRATION_SET)
    for name, fn in migrations:
        registered(name=name)(fn)
    return registered


def apply(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply pending migrations, each in its own transaction; return their names."""
    todo = pending(db.conn, migrations)
    if not todo:
        return []
    registered = _migration_set(migrations)
    for migration in registered.pending(db):
        with db.atomic():
            registered.ensure_migrations_table(db)
            migration.fn(db)
            registered._record_applied(db, migration.name)
            db.conn.execute(f"PRAGMA user_version = {migration_number(migration.name)}")
    return todo
