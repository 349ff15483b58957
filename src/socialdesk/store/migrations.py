"""Numbered, transactional schema migrations.

Each migration has a name that starts with its number (``0001_initial``) and a function
that changes the schema. They are applied with sqlite-utils' ``Migrations``, which records
every applied migration in ``_sqlite_migrations`` inside the same transaction as the
migration itself; we also keep ``PRAGMA user_version`` equal to the highest applied
number. Reading the version needs plain SQL only, so opening an up-to-date workspace
does not import sqlite-utils at all (it pulls in numpy when installed: 0.15 s of startup).

To add a migration: write ``schema_vN.py`` (or a few statements), append it to
:data:`MIGRATIONS` with the next number (numbers may have gaps), set
:data:`LATEST_SCHEMA` (its test gives the value), describe it in ``docs/schema.md``, and
add a test that migrates the fixture workspace of every earlier version
(``tests/store/fixtures``).

A migration that must change rows to meet a new rule (merge repeats, rename) never
refuses the workspace: it writes a sentence per change to ``migration_notes``
(:func:`notes`), which ``socialdesk check`` lists and the window announces once.

A workspace of version N may hold exactly the schema the first N migrations create
(:func:`expected_schema`, worked out by running them on an empty in-memory database), so
nothing else needs to know which tables, indexes and triggers a version has. The table
of applied migrations is created here too, by :data:`MIGRATIONS_TABLE_SQL` (as
sqlite-utils writes it), so that its definition cannot change under existing workspaces.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from socialdesk.store import (
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
    schema_v7,
    schema_v8,
    schema_v9,
    schema_v10,
    schema_v11,
    schema_v12,
    schema_v13,
    schema_v14,
    schema_v15,
    schema_v16,
    schema_v17,
    schema_v18,
    schema_v19,
    schema_v20,
    schema_v21,
)

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "socialdesk"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' Migrations.migrations_table
MIGRATIONS_TABLE_SQL = f"""
CREATE TABLE IF NOT EXISTS "{MIGRATIONS_TABLE}" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS "idx_{MIGRATIONS_TABLE}_migration_set_name"
    ON "{MIGRATIONS_TABLE}" ("migration_set", "name");
"""

Migration = tuple[str, Callable[["Database"], None]]


class SchemaObject(NamedTuple):
    """One row of ``sqlite_master``, its SQL with the whitespace collapsed."""

    kind: str  # table, index, view or trigger
    name: str
    table: str
    sql: str



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


def _contact_names(db: Database) -> None:
    run_script(db, schema_v3.SQL)


def _post_location(db: Database) -> None:
    run_script(db, schema_v4.SQL)


def _store_rules(db: Database) -> None:
    run_script(db, schema_v5.SET_ASIDE)
    run_script(db, schema_v5.NEW_TABLES)
    notes = schema_v5.merge(db.conn)
    run_script(db, schema_v5.RULES)
    db.conn.executemany("INSERT INTO migration_notes (migration, note) VALUES (?, ?)",
                        [(schema_v5.NAME, note) for note in notes])


def _partner_slugs(db: Database) -> None:
    run_script(db, schema_v6.SQL)


def _ask_forecasts(db: Database) -> None:
    run_script(db, schema_v7.SQL)


def _ask_visits(db: Database) -> None:
    run_script(db, schema_v8.SQL)


def _post_series(db: Database) -> None:
    run_script(db, schema_v9.SQL)


def _publishing(db: Database) -> None:
    run_script(db, schema_v10.SQL)


def _ask_raw_p(db: Database) -> None:
    run_script(db, schema_v11.SQL)


def _org_units(db: Database) -> None:
    run_script(db, schema_v12.SQL)


def _sync(db: Database) -> None:
    run_script(db, schema_v13.SQL)


def _sync_uids(db: Database) -> None:
    run_script(db, schema_v14.SQL)


def _sync_fidelity(db: Database) -> None:
    run_script(db, schema_v15.SQL)


def _post_templates(db: Database) -> None:
    run_script(db, schema_v16.SQL)


def _editor_extras(db: Database) -> None:
    run_script(db, schema_v17.SQL)


def _planner_indexes(db: Database) -> None:
    run_script(db, schema_v18.SQL)


def _planner_mark(db: Database) -> None:
    run_script(db, schema_v19.SQL)


def _planner_changes(db: Database) -> None:
    run_script(db, schema_v20.SQL)


def _sync_task_list(db: Database) -> None:
    run_script(db, schema_v21.SQL)


# Every migration, oldest first. Never edit or remove a released one; append.
MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_post_occurrences", _post_occurrences),
    ("0003_contact_names", _contact_names),
    ("0004_post_location", _post_location),
    (schema_v5.NAME, _store_rules),
    ("0006_partner_slugs", _partner_slugs),
    ("0007_ask_forecasts", _ask_forecasts),
    ("0008_ask_visits", _ask_visits),
    ("0009_post_series", _post_series),
    ("0010_publishing", _publishing),
    ("0011_ask_raw_p", _ask_raw_p),
    ("0012_org_units", _org_units),
    ("0013_sync", _sync),
    ("0014_sync_uids", _sync_uids),
    ("0015_sync_fidelity", _sync_fidelity),
    ("0016_post_templates", _post_templates),
    ("0017_editor_extras", _editor_extras),
    ("0018_planner_indexes", _planner_indexes),
    ("0019_planner_mark", _planner_mark),
    ("0020_planner_changes", _planner_changes),
    ("0021_sync_task_list", _sync_task_list),
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
    return max(int(user_version), recorded)


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
            run_script(db, MIGRATIONS_TABLE_SQL)
            migration.fn(db)
            registered._record_applied(db, migration.name)
            db.conn.execute(f"PRAGMA user_version = {migration_number(migration.name)}")
    return todo


def schema_objects(conn: sqlite3.Connection) -> frozenset[SchemaObject]:
    """Every table, index, view and trigger of the database (reads ``sqlite_master`` only)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset(SchemaObject(str(row["type"]), str(row["name"]), str(row["tbl_name"]),
                                  " ".join(str(row["sql"] or "").split())) for row in rows)


def notes(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """What migrations merged or changed in this workspace: (migration, applied at, note).

    Written by migrations that had to change rows to meet new rules (``0005_store_rules``);
    empty for a workspace older than that or one nothing had to change in.
    """
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration_notes'"
    ).fetchone()
    if not exists:
        return []
    return [(str(row["migration"]), str(row["created_at"]), str(row["note"])) for row in
            conn.execute("SELECT migration, created_at, note FROM migration_notes ORDER BY id")]


class _Replay:
    """The ``db`` a migration gets when :func:`expected_schema` replays it in memory.

    ``conn`` is there at once; whatever else a migration asks for comes from sqlite-utils'
    ``Database``, imported only then (0.2 s: too much to spend on every start).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @functools.cached_property
    def database(self) -> Database:
        """sqlite-utils' view of the same connection."""
        from sqlite_utils import Database

        return Database(self.conn)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.database, name)

    def __getitem__(self, name: str) -> Any:
        return self.database[name]


_REPLAYING = threading.Lock()  # one replay of a version at a time: its result is cached


def expected_schema(version: int) -> frozenset[SchemaObject]:
    """The schema of a workspace of ``version``: what :func:`apply` creates (cached).

    The migrations up to ``version`` run, as :func:`apply` runs them, on an empty
    in-memory database (``frozenset()`` for version 0, an empty file). A replay under way
    on another thread is waited for, not run twice.
    """
    with _REPLAYING:
        return _replayed(version)


@functools.cache
def _replayed(version: int) -> frozenset[SchemaObject]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        replay = cast("Database", _Replay(conn))
        conn.execute("BEGIN")  # one transaction: half the time of one per statement
        for name, fn in MIGRATIONS:
            if migration_number(name) <= version:
                run_script(replay, MIGRATIONS_TABLE_SQL)
                fn(replay)
        conn.execute("COMMIT")
        return schema_objects(conn)
    finally:
        conn.close()


def _sqlite_own_table(found: SchemaObject) -> bool:
    """Whether ``found`` is one of SQLite's own tables, which any database may gain.

    ``ANALYZE``'s statistics (``sqlite_stat1``, and ``sqlite_stat4`` where SQLite is built
    with it) and ``AUTOINCREMENT`` counters (``sqlite_sequence``).
    """
    return found.kind == "table" and (found.name == "sqlite_sequence"
                                      or found.name.startswith("sqlite_stat"))


# The latest version and the schema_digest of its expected_schema: a workspace that has
# exactly it is known to be right without replaying the migrations (20–30 ms of every
# command's start). A test keeps it equal to the replay: update it with each migration.
LATEST_SCHEMA = (21, "482bd1dfd276aad88a4a819036a71a031ed86854b749b9584a494a83f354324f")


def schema_digest(objects: frozenset[SchemaObject]) -> str:
    """A digest of the schema objects, SQLite's own tables left out (see unexpected_schema)."""
    ours = sorted(o for o in objects if not _sqlite_own_table(o))
    return hashlib.sha256("\x00".join("\x1f".join(o) for o in ours).encode()).hexdigest()


def unexpected_schema(conn: sqlite3.Connection, version: int) -> str | None:
    """What first differs from the schema of ``version`` (``None``: nothing).

    For example ``"a trigger 'wipe' (on backup_log) that SocialDesk does not create"``.
    A workspace of the latest version whose schema is exactly the one recorded
    (:data:`LATEST_SCHEMA`) needs no replay; any other is compared with the replay.
    """
    found = schema_objects(conn)
    if (version, schema_digest(found)) == LATEST_SCHEMA:
        return None
    expected = expected_schema(version)
    extra = sorted(o for o in found - expected if not _sqlite_own_table(o))
    if extra:
        kind, name, table = extra[0].kind, extra[0].name, extra[0].table
        where = f" (on {table})" if kind in ("index", "trigger") else ""
        if any((o.kind, o.name) == (kind, name) for o in expected):
            return f"a {kind} '{name}'{where} other than the one SocialDesk creates"
        return f"a {kind} '{name}'{where} that SocialDesk does not create"
    missing = sorted(expected - found)
    if missing:
        return f"no {missing[0].kind} '{missing[0].name}', which SocialDesk creates"
    return None
