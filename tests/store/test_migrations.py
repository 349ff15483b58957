"""Schema migrations: fresh workspaces, old fixtures, newer workspaces refused untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bad_workspaces import CHANGES, ENDLESS, make_hostile
from socialdesk.store import migrations
from socialdesk.store.checks import verify_workspace
from socialdesk.store.errors import (
    CheckTooLong,
    ForeignSchema,
    NotAWorkspace,
    WorkspaceCorrupt,
    WorkspaceNotFound,
    WorkspaceNotWritable,
    WorkspaceTooNew,
)
from socialdesk.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workspace_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "new.sqlite", create=True) as ws:
        assert ws.schema_version == migrations.latest_version()
        tables = set(ws.db.table_names())
        for table in ("contacts", "contact_details", "contact_links", "audiences", "interactions",
                      "channels", "campaigns", "topics", "posts", "post_channels", "asks",
                      "settings", "backup_log", "contacts_fts", "post_occurrences"):
            assert table in tables
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            ws.conn.execute("INSERT INTO audiences (contact_id, platform) VALUES (999, 'x')")


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    Workspace.open(path, create=True).close()
    with Workspace.open(path) as ws:
        rows = ws.conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
        assert [r[0] for r in rows] == [name for name, _ in migrations.MIGRATIONS]


def test_missing_workspace_is_not_created_without_asking(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite"
    with pytest.raises(WorkspaceNotFound, match="no workspace here"):
        Workspace.open(path)
    assert not path.exists()


def test_first_version_fixture_opens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v1.sqlite", path)
    with Workspace.open(path) as ws:
        assert ws.schema_version == migrations.latest_version()
        names = [r[0] for r in ws.conn.execute("SELECT name FROM contacts ORDER BY id")]
        assert names == ["Ada Baker", "Corner Café"]
        assert ws.conn.execute("SELECT title FROM posts").fetchone()[0] == "Sourdough Saturday"
    with sqlite3.connect(tmp_path / "v1.sqlite.schema-1.bak") as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_first_version_workspace_gains_a_status_per_repeat(tmp_path: Path) -> None:
    from socialdesk.store.models import OccurrenceDraft, PostDraft
    from socialdesk.store.occurrences import get_occurrence, set_occurrence
    from socialdesk.store.post_writes import update_post

    path = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v1.sqlite", path)
    with Workspace.open(path) as ws:
        assert migrations.applied_names(ws.conn)[:2] == ["0001_initial", "0002_post_occurrences"]
        update_post(ws, 1, PostDraft(title="Sourdough Saturday", status="published",
                                     scheduled_on="2026-11-28", repeat_rule="weekly"))
        marked = OccurrenceDraft("skipped")
        set_occurrence(ws, 1, "2026-12-05", marked)
        assert get_occurrence(ws, 1, "2026-12-05") == marked
        ws.conn.execute("DELETE FROM posts WHERE id = 1")
        assert ws.conn.execute("SELECT count(*) FROM post_occurrences").fetchone()[0] == 0


def test_second_version_fixture_opens_with_its_data(tmp_path: Path) -> None:
    from socialdesk.store.occurrences import occurrences_of

    path = tmp_path / "v2.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", path)
    with Workspace.open(path) as ws:
        assert ws.schema_version == migrations.latest_version()
        assert ws.conn.execute("SELECT title FROM posts").fetchone()[0] == "Sourdough Saturday"
        assert [(day, m.status, m.reach) for day, m in occurrences_of(ws, 1)] == [
            ("2026-12-05", "published", 380), ("2026-12-12", "skipped", None)]


@pytest.mark.parametrize("fixture", ["workspace-v1.sqlite", "workspace-v2.sqlite"])
def test_an_older_workspace_gives_each_contact_a_random_uid_and_room_for_its_n(
        tmp_path: Path, fixture: str) -> None:
    import uuid

    uids = []
    for copy in ("a", "b"):
        path = tmp_path / f"{copy}.sqlite"
        shutil.copyfile(FIXTURES / fixture, path)
        with Workspace.open(path) as ws:
            assert "0003_contact_names" in migrations.applied_names(ws.conn)
            rows = ws.conn.execute(
                "SELECT name, uid, structured_name FROM contacts ORDER BY id").fetchall()
            assert [(name, n) for name, _, n in rows] == [
                ("Ada Baker", ""), ("Corner Café", "")]
            assert ws.conn.execute("SELECT count(*) FROM contacts_fts").fetchone()[0] == 2
            uids += [uid for _, uid, _ in rows]
    assert len(set(uids)) == 4
    assert all(uuid.UUID(uid.removeprefix("urn:uuid:")).version == 4 for uid in uids)
    assert all(uuid.UUID(uid.removeprefix("urn:uuid:")).variant == uuid.RFC_4122
               for uid in uids)


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_workspace_gains_a_location_for_each_post(tmp_path: Path, version: int) -> None:
    from socialdesk.store.post_writes import get_post, update_post

    path = tmp_path / f"v{version}.sqlite"
    shutil.copyfile(FIXTURES / f"workspace-v{version}.sqlite", path)
    with Workspace.open(path) as ws:
        assert "0004_post_location" in migrations.applied_names(ws.conn)
        detail = get_post(ws, 1)
        assert detail is not None and detail.draft.location == ""
        assert detail.draft.title == "Sourdough Saturday"
        update_post(ws, 1, replace(detail.draft, location="Market hall, stall 4"))
    with Workspace.open(path) as ws:
        detail = get_post(ws, 1)
        assert detail is not None and detail.draft.location == "Market hall, stall 4"


@pytest.mark.parametrize("version", [1, 2, 8])
def test_an_older_workspace_gives_each_contact_room_for_its_organisations_units(
        tmp_path: Path, version: int) -> None:
    from socialdesk.core.contacts.export import export_contacts
    from socialdesk.store.contacts import get_contact, save_contact

    path = tmp_path / f"v{version}.sqlite"
    shutil.copyfile(FIXTURES / f"workspace-v{version}.sqlite", path)
    with Workspace.open(path) as ws:
        assert "0012_org_units" in migrations.applied_names(ws.conn)
        assert [tuple(r) for r in ws.conn.execute(
            "SELECT organisation, org_units FROM contacts ORDER BY id")] == [
            ("", ""), ("Corner Café Ltd", "")]
        cafe = get_contact(ws, 2)
        assert cafe is not None
        save_contact(ws, replace(cafe, org_units="Kitchen;Night shift"))
    with Workspace.open(path) as ws:
        export_contacts(ws, tmp_path / "out.vcf", "vcard")
    assert "\r\nORG:Corner Café Ltd;Kitchen;Night shift\r\n" in (
        tmp_path / "out.vcf").read_bytes().decode("utf-8")


def test_newer_workspace_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Workspace.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('socialdesk', '0099_from_the_future', 'later')"
    )
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(WorkspaceTooNew, match="newer SocialDesk") as caught:
        Workspace.open(path)
    assert caught.value.found == 99
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_a_later_migration_backs_up_first_and_applies_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    Workspace.open(path, create=True).close()
    def add_colour(db: Database) -> None:
        db.conn.execute("ALTER TABLE tags ADD COLUMN colour TEXT")

    now = migrations.latest_version()
    name = f"{now + 1:04d}_add_colour_to_tags"
    extended = (*migrations.MIGRATIONS, (name, add_colour))

    ws = Workspace.open(path)
    from socialdesk.store.workspace import backup_before_migration

    copy = backup_before_migration(ws, now)
    assert migrations.apply(ws.db, extended) == [name]
    assert migrations.applied_version(ws.conn) == now + 1
    assert "colour" in ws.db["tags"].columns_dict
    ws.close()
    with sqlite3.connect(copy) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == now


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    Workspace.open(path, create=True).close()
    def half_done(db: Database) -> None:
        db.conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("power cut")

    now = migrations.latest_version()
    broken = (*migrations.MIGRATIONS, (f"{now + 1:04d}_half_done", half_done))

    with Workspace.open(path) as ws:
        with pytest.raises(RuntimeError):
            migrations.apply(ws.db, broken)
        assert "half" not in ws.db.table_names()
        assert migrations.applied_version(ws.conn) == now


def test_split_statements_keeps_triggers_whole() -> None:
    script = "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n SELECT 1;\nEND;\n"
    assert len(list(migrations.split_statements(script))) == 2
    with pytest.raises(ValueError):
        list(migrations.split_statements("CREATE TABLE b (x"))


def test_numbering_is_required() -> None:
    assert migrations.migration_number("0012_x") == 12
    with pytest.raises(ValueError):
        migrations.migration_number("initial")
    numbers = [migrations.migration_number(name) for name, _ in migrations.MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))  # 1, 2, 3 …: no gaps, none twice
    assert migrations.latest_version() == numbers[-1]


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list: flour, butter\n")
    before = digest(path)
    with pytest.raises(NotAWorkspace, match="not a SQLite database"):
        Workspace.open(path)
    assert digest(path) == before


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = digest(path)
    with pytest.raises(NotAWorkspace, match="not a SocialDesk workspace"):
        Workspace.open(path)
    assert digest(path) == before


def test_a_truncated_workspace_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    with Workspace.open(path, create=True) as ws:
        ws.conn.executemany("INSERT INTO contacts (name, notes) VALUES (?, ?)",
                            [(f"c{i}", "x" * 500) for i in range(2000)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    before = digest(path)
    with pytest.raises(WorkspaceCorrupt, match="damaged"):
        Workspace.open(path)
    assert digest(path) == before


def test_a_folder_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspace, match="folder"):
        Workspace.open(tmp_path)


def test_a_workspace_that_cannot_be_created_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("in the way")
    with pytest.raises(WorkspaceNotWritable, match="cannot be created"):
        Workspace.open(blocker / "sub" / "w.sqlite", create=True)


def test_verify_finds_damage_that_opening_without_a_check_would_miss(tmp_path: Path) -> None:

    path = tmp_path / "w.sqlite"
    with Workspace.open(path, create=True) as ws:
        ws.conn.executemany("INSERT INTO contacts (name, notes) VALUES (?, ?)",
                            [(f"c{i}", "x" * 500) for i in range(2000)])
    verify_workspace(path)  # healthy: no exception
    data = bytearray(path.read_bytes())
    for start in range(len(data) - 40 * 4096, len(data), 8192):
        data[start + 8: start + 600] = b"\x5a" * 592
    path.write_bytes(bytes(data))
    Workspace.open(path, verify=False).close()  # the schema is still readable
    with pytest.raises(WorkspaceCorrupt, match="damaged"):
        verify_workspace(path)
    with pytest.raises(WorkspaceCorrupt):
        Workspace.open(path)  # small file: checked while opening


def test_a_stopped_check_ends_early_without_a_verdict(tmp_path: Path) -> None:

    path = tmp_path / "w.sqlite"
    with Workspace.open(path, create=True) as ws:
        ws.conn.executemany("INSERT INTO contacts (name, notes) VALUES (?, ?)",
                            [(f"c{i}", "x" * 500) for i in range(5000)])
    asked: list[bool] = []

    def stop() -> bool:
        asked.append(True)
        return True

    assert verify_workspace(path, stop=stop) is False  # stopped: neither sound nor damaged
    assert asked
    assert verify_workspace(path, stop=lambda: False) is True


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_workspace_holding_objects_socialdesk_does_not_create_is_refused_untouched(
        demo_path: Path, kind: str) -> None:
    name = make_hostile(demo_path, kind)
    before = digest(demo_path)
    for opening in (Workspace.open, Workspace.open_readonly, verify_workspace):
        with pytest.raises(ForeignSchema) as raised:
            opening(demo_path)
        assert str(demo_path) in str(raised.value) and f"'{name}'" in str(raised.value)
    assert digest(demo_path) == before


def test_every_schema_version_is_what_its_migrations_create(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with Workspace.open(path, create=True) as ws:
        found = migrations.schema_objects(ws.conn)
    assert found == migrations.expected_schema(migrations.latest_version())
    assert migrations.expected_schema(0) == frozenset()
    # The table of applied migrations is the one sqlite-utils makes (existing workspaces).
    made_by_sqlite_utils, made_here = Database(memory=True), Database(memory=True)
    Migrations(migrations.MIGRATION_SET).ensure_migrations_table(made_by_sqlite_utils)
    migrations.run_script(made_here, migrations.MIGRATIONS_TABLE_SQL)
    assert (migrations.schema_objects(made_by_sqlite_utils.conn)
            == migrations.schema_objects(made_here.conn))
    fixture = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v1.sqlite", fixture)
    with sqlite3.connect(fixture) as conn:
        assert migrations.schema_objects(conn) == migrations.expected_schema(1)


def test_the_recorded_latest_schema_is_what_the_migrations_create() -> None:
    latest = migrations.expected_schema(migrations.latest_version())
    digest = migrations.schema_digest(latest)
    assert (migrations.latest_version(), digest) == migrations.LATEST_SCHEMA, (
        f"set migrations.LATEST_SCHEMA to ({migrations.latest_version()}, {digest!r})")
    # The digest leaves SQLite's own tables out: none may be expected for it to be exact.
    assert not any(migrations._sqlite_own_table(o) for o in latest)


def test_an_up_to_date_workspace_opens_without_replaying_the_migrations(
        demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("ANALYZE")  # SQLite's statistics are no difference
    migrations._replayed.cache_clear()  # as in a fresh process
    Workspace.open_readonly(demo_path).close()
    Workspace.open(demo_path).close()
    assert migrations._replayed.cache_info().currsize == 0
    with sqlite3.connect(demo_path) as conn:
        conn.execute("CREATE INDEX extra ON contacts (name)")
    with pytest.raises(ForeignSchema, match="'extra'"):
        Workspace.open_readonly(demo_path)
    assert migrations._replayed.cache_info().currsize == 1  # what differs, from the replay


def test_sqlite_statistics_keep_a_workspace_sound(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("ANALYZE")
    verify_workspace(demo_path, thorough=True)
    Workspace.open(demo_path).close()


def test_a_check_that_runs_too_long_is_interrupted(demo_path: Path) -> None:
    import time

    with Workspace.open_readonly(demo_path) as ws:
        started = time.monotonic()
        with pytest.raises(CheckTooLong, match="longer than"), ws.time_limit(seconds=0.2):
            ws.conn.execute(f"SELECT count(*) FROM ({ENDLESS})").fetchone()
        assert time.monotonic() - started < 5
        assert ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0


def test_stop_is_heard_while_one_long_sqlite_step_runs(demo_path: Path) -> None:
    """A check's page walk is one SQLite step, with no progress call in it (on the huge
    workspace: seconds): ``stop`` is still asked meanwhile, and the statement ends."""
    import threading

    asked = threading.Event()
    heard_within: list[bool] = []

    def stop() -> bool:
        asked.set()
        return True

    def one_long_step(n: int) -> int:
        if n == 1:  # stands for the page walk: done once stop was asked (or after 10 s)
            heard_within.append(asked.wait(10))
        return n

    with Workspace.open_readonly(demo_path) as ws:
        ws.conn.create_function("one_long_step", 1, one_long_step)
        with pytest.raises(sqlite3.OperationalError, match="interrupted"), \
                ws.time_limit(stop=stop):
            ws.conn.execute("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
                            "WHERE n < 100) SELECT sum(one_long_step(n)) FROM r").fetchone()
        assert heard_within == [True], "stop was asked while the long step ran"
        assert ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0


# A released migration's SQL never changes: workspaces on disk were made by it, and the
# schema check compares them with it replayed. Its CHECK lists come from
# store/vocabulary.py, so a new allowed value there changes this hash: it needs a new
# migration instead (and these values stay those of the release).
RELEASED_SQL = {
    "schema_v1": "abbf6926fe6c7f12da0037a080b0bacd1008e56eb4506b498d8ec924fabce95d",
    "schema_v2": "1434ac545d0cf44aa0bc6e932a59098a2b24e6c7c1e20809a985f1babca7d266",
    "schema_v3": "0da50d6cbd8394254743d1153759921387808c3d873112be19ea55c5885c7c2a",
    "schema_v4": "7119fdef3b1ed444647a8f30f0d5bcc2736babc7653f05835852771e9f21c92c",
    "schema_v5": "9aab3052bcdcec585c28106d71254144c2ab81002aefe2b1d7e6a12fb0b2f47f",
    "schema_v6": "5f93f059bfdd1d9868f20511950006a9527266e12be020f8b99a23858cc8c316",
    "schema_v7": "1c2e40e6c31cda0a1b51645ff07de3ef91a19f977ca7672d8bcb385f82e3e690",
    "schema_v8": "52b17f77670c83e1d00c808e39a7382d1e4a554a5cc3a1edff615f0516a376fe",
    "schema_v9": "6c613aeb482c3a84c9cac1c7570769f78d8cea2a5d7b75a9b33c60324c6942b3",
    "schema_v10": "2936ae5107df3a266793b7c476d5d2fa4ce5230691e9aed3c73e9d6b506197a4",
    "schema_v11": "b077bfc6451e5c8dc7269f19425f8f42ecedec71c19e97a2542da870442f31a7",
    "schema_v12": "e845d6a7ad7cd03886071b25a954e9ca5f6cb4d6f50a4c9af2c00ec80b37ee2a",
    "schema_v13": "cd5caab0f5325f1044c83721fed0a8c598e7e15f6b7f222503f90ad55932c908",
    "schema_v14": "c0f54a0debbd5e9bc169cde5c95ed91976a73f4a984637628b54fcf1740f3e17",
    "schema_v15": "173ed2364c78e9b7753525bfd8e51d1c1ce64420eb7bec06ca91c99cbae5e93f",
    "schema_v16": "8a1e7412fd2dfb8dcb496ae795dad1b352b096f5d0526298f226d014cb38ede1",
    "schema_v17": "04f851fa8b3c337bf078cd9db86a812af55d7ce35035ff8032e2e81167c31a48",
    "schema_v18": "4d95184ab98867a416b2f4694d5a9397f195e598dc31db21e0f0cc606a9c8fe3",
    "schema_v19": "70da9f982aa121c7b28b76c8f3ba50f990cd7038aa42e97c214ee17d36b54130",
    "schema_v20": "c4342d601ff2239a3f9137319536757503e8c6754498961a21ff875a334b6fea",
    "schema_v21": "d9d4828a0b4e0c827df38d83b8174b6099a11178b3181bf141bac27d5b177a40",
}


def test_every_schema_module_is_pinned() -> None:
    """A migration's SQL is pinned as soon as it exists, so that it is never edited later."""
    modules = {p.stem for p in (Path(migrations.__file__).parent).glob("schema_v*.py")}
    assert modules <= set(RELEASED_SQL), "pin the new schema module's SQL"


@pytest.mark.parametrize("module", sorted(RELEASED_SQL))
def test_a_released_migration_is_never_edited(module: str) -> None:
    import importlib

    sql = importlib.import_module(f"socialdesk.store.{module}").SQL
    assert hashlib.sha256(sql.encode()).hexdigest() == RELEASED_SQL[module], (
        f"{module}.SQL changed: add a migration instead of editing a released one")


def test_asks_made_before_forecasts_were_stored_keep_none(tmp_path: Path) -> None:
    from socialdesk.core.planner.track_record import track_record
    from socialdesk.store import asks

    path = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v1.sqlite", path)
    with Workspace.open(path) as ws:
        assert "0007_ask_forecasts" in migrations.applied_names(ws.conn)
        old = ws.conn.execute(
            "SELECT id, planned_p, planned_reach, planned_x0, model_version FROM asks").fetchall()
        assert old and all(tuple(row[1:]) == (None,) * 4 for row in old)
        asks.record_outcome(ws, old[0][0], "shared", observed_reach=50)
        assert track_record(ws).resolved == 0  # no p it was planned with: left out


def test_a_version_8_workspace_opens_with_everything_it_holds(tmp_path: Path) -> None:
    """The fixture of the newest released schema: each later migration must keep its rows."""
    path = tmp_path / "v8.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v8.sqlite", path)
    with Workspace.open(path) as ws:
        assert ws.schema_version == migrations.latest_version()
        conn = ws.conn
        assert [tuple(r) for r in conn.execute(
            "SELECT name, structured_name, slug FROM contacts ORDER BY id")] == [
            ("Ada Baker", "Baker;Ada;;;", None), ("Corner Café", "", "corner-cafe")]
        assert tuple(conn.execute("SELECT location, link FROM posts").fetchone()) == (
            "Market hall, stall 4", "https://hearth.example/bread")
        assert tuple(conn.execute(
            "SELECT platform, platform_label, size FROM audiences WHERE contact_id = 2 "
            "AND platform = 'other'").fetchone()) == ("other", "Substack", 600)
        assert tuple(conn.execute(
            "SELECT planned_p, planned_reach, planned_x0, model_version FROM asks").fetchone()
        ) == (0.42, 310.5, 0.02, 2)
        assert conn.execute("SELECT sum(visits) FROM ask_visits").fetchone()[0] == 17
        assert conn.execute("SELECT count(*) FROM post_occurrences").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM post_series").fetchone()[0] == 0
        assert tuple(conn.execute("SELECT series_id, recurrence_id FROM posts").fetchone()) \
            == (None, None)


def test_a_location_kept_in_the_notes_becomes_the_post_location(tmp_path: Path) -> None:
    """Imports before 0004 kept an event's LOCATION as the whole notes: "Location: …"."""
    path = tmp_path / "v2.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE posts SET notes = 'Location: Town hall, room 2' WHERE id = 1")
        conn.executemany("INSERT INTO posts (uid, title, notes) VALUES (?, ?, ?)", [
            ("two@test", "Own note", "Location: Market\nbring the sign"),
            ("three@test", "Other note", "Bring the sign"),
        ])
    conn.close()
    with Workspace.open(path) as ws:
        rows = ws.conn.execute("SELECT uid, location, notes FROM posts ORDER BY id").fetchall()
        assert [tuple(row) for row in rows] == [
            ("fixture-post-1@socialdesk", "Town hall, room 2", ""),
            ("two@test", "", "Location: Market\nbring the sign"),  # more than the place
            ("three@test", "", "Bring the sign"),
        ]
        assert [note for name, _, note in migrations.notes(ws.conn)
                if name == "0009_post_series"] == [
            '1 imported post(s) had their place as the note "Location: …": it is now their '
            "location, and the note is gone."]


def test_a_version_9_workspace_opens_with_its_imported_series(tmp_path: Path) -> None:
    path = tmp_path / "v9.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v9.sqlite", path)
    with Workspace.open(path) as ws:
        assert ws.schema_version == migrations.latest_version()
        row = ws.conn.execute(
            "SELECT s.uid, s.rrules, p.recurrence_id FROM posts p "
            "JOIN post_series s ON s.id = p.series_id").fetchone()
        assert tuple(row) == ("lessons@thunderbird.test", "FREQ=WEEKLY;COUNT=10;BYDAY=TU,TH",
                              "20261201T180000")


def test_a_version_8_workspace_gains_publishing_and_keeps_its_media(tmp_path: Path) -> None:
    path = tmp_path / "v8.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v8.sqlite", path)
    with sqlite3.connect(path) as old:  # a media file, as version 8 kept it
        post = old.execute("SELECT id FROM posts ORDER BY id").fetchone()[0]
        old.execute("INSERT INTO post_media (post_id, path, position) VALUES (?, 'rye.jpg', 0)",
                    (post,))
        media = old.execute("SELECT post_id, path, position FROM post_media ORDER BY id"
                            ).fetchall()
    assert media
    with Workspace.open(path) as ws:
        assert "0010_publishing" in migrations.applied_names(ws.conn)
        for table in ("accounts", "publications", "publication_results",
                      "publication_sharers"):
            assert ws.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert [tuple(r) for r in ws.conn.execute(
            "SELECT post_id, path, position, alt FROM post_media ORDER BY id")] == [
            (*row, "") for row in media]


def test_a_version_8_workspaces_asks_are_fitted_on_the_p_they_stored(tmp_path: Path) -> None:
    """Version 11 adds the model's own p; an older ask has none and its planned_p counts."""
    from socialdesk.store import asks
    from socialdesk.store.track_record import resolved_forecasts

    path = tmp_path / "v8.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v8.sqlite", path)
    with Workspace.open(path) as ws:
        assert "0011_ask_raw_p" in migrations.applied_names(ws.conn)
        (ask_id, raw), = ws.conn.execute("SELECT id, planned_raw_p FROM asks").fetchall()
        assert raw is None
        asks.record_outcome(ws, ask_id, "declined")
        (row,) = resolved_forecasts(ws)
        assert (row[0], row[1], row[6]) == (0.42, 0, 0.42)
        (new,) = asks.create_asks(ws, [asks.NewAsk(2, None, "2026-01-01", forecast=asks.Forecast(
            p=0.3, reach=100.0, x0=0.0, model_version=2, raw_p=0.5))])
        asks.record_outcome(ws, new, "shared", answered_on="2026-01-02")
        assert sorted((r[0], r[6]) for r in resolved_forecasts(ws)) == [(0.3, 0.5),
                                                                         (0.42, 0.42)]
