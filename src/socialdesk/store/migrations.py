"""Numbered, transactional schema migrations.

Each migration is registered in a sqlite-utils :class:`~sqlite_utils.migrations.Migrations`
set under a name that starts with its number (``0001_initial``). sqlite-utils records
every applied migration in ``_sqlite_migrations`` inside the same transaction as the
migration itself; we also keep ``PRAGMA user_version`` equal to the highest applied
number so that the version can be read without touching any table.

To add a migration: write ``schema_vN.py`` (or a few statements), register it below with
the next number, describe it in ``docs/schema.md``, and add a test that migrates the
fixture workspace of every earlier version (``tests/store/fixtures``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from socialdesk.store import schema_v1

MIGRATION_SET = "socialdesk"
MIGRATIONS_TABLE = Migrations.migrations_table


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


def build_migrations() -> Migrations:
    """Return the ordered set of SocialDesk's migrations."""
    migrations = Migrations(MIGRATION_SET)

    @migrations(name="0001_initial")
    def initial(db: Database) -> None:
        run_script(db, schema_v1.SQL)

    return migrations


MIGRATIONS = build_migrations()


def migration_number(name: str) -> int:
    """Return the number a migration name starts with (``0007_x`` → 7)."""
    head = name.split("_", 1)[0]
    if not head.isdigit():
        raise ValueError(f"migration name {name!r} does not start with a number")
    return int(head)


def latest_version(migrations: Migrations = MIGRATIONS) -> int:
    """The schema version this SocialDesk writes."""
    return max(migration_number(m.name) for m in migrations._migrations)


def applied_version(db: Database, migrations: Migrations = MIGRATIONS) -> int:
    """The highest schema version recorded in the workspace (0 for an empty database).

    Read-only: it reads ``user_version`` and the migrations table, if present.
    """
    user_version = db.conn.execute("PRAGMA user_version").fetchone()[0]
    names = [m.name for m in migrations.applied(db)]
    recorded = max((migration_number(n) for n in names), default=0)
    return max(user_version, recorded)


def unknown_applied(db: Database, migrations: Migrations = MIGRATIONS) -> list[str]:
    """Names of migrations recorded in the workspace that this SocialDesk does not know."""
    known = {m.name for m in migrations._migrations}
    return [m.name for m in migrations.applied(db) if m.name not in known]


def apply(db: Database, migrations: Migrations = MIGRATIONS) -> list[str]:
    """Apply pending migrations, each in its own transaction; return their names."""
    pending = migrations.pending(db)
    for migration in pending:
        with db.atomic():
            migrations.ensure_migrations_table(db)
            migration.fn(db)
            migrations._record_applied(db, migration.name)
            db.conn.execute(f"PRAGMA user_version = {migration_number(migration.name)}")
    return [m.name for m in pending]
