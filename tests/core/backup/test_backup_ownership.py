"""Backups belong to one workspace by the identity stored in it, never by its file name."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from socialdesk.core.backup import catalog, crypto, ownership, rotation
from socialdesk.core.backup import create as backup
from socialdesk.core.backup.restore import restore
from socialdesk.store import identity, reports
from socialdesk.store.workspace import Workspace


def twin(demo_path: Path, folder: str) -> Path:
    """A workspace of the same file name as the demo, in another folder, with 1 contact."""
    path = demo_path.parent / folder / demo_path.name
    with Workspace.open(path, create=True) as ws, ws.transaction():
        ws.conn.execute("INSERT INTO contacts (name) VALUES ('Only one')")
    return path


def age(made: Path, days: int) -> Path:
    """Give a backup the name it would have had ``days`` ago (rotation reads the name)."""
    parsed = catalog.parse_name(made)
    assert parsed is not None
    when = datetime.now().astimezone() - timedelta(days=days)
    for seq in range(100):
        target = made.with_name(catalog.backup_name(parsed[0], when, parsed[2], seq))
        if not target.exists():
            return made.rename(target)
    raise AssertionError("no free name")


def without_identity(made: Path) -> None:
    """Rewrite a backup as SocialDesk made it before backups carried an identity."""
    old = made.with_name("old.zip")
    made.rename(old)
    with zipfile.ZipFile(old) as src, zipfile.ZipFile(made, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                for key in ("workspace_id", "workspace_location"):
                    manifest.pop(key, None)
                data = json.dumps(manifest).encode()
            out.writestr(item, data)
    old.unlink()


def test_every_new_workspace_gets_an_identity_of_its_own(tmp_path):
    with Workspace.open(tmp_path / "a.sqlite", create=True) as a, \
            Workspace.open(tmp_path / "b.sqlite", create=True) as b:
        first, second = identity.read_id(a.conn), identity.read_id(b.conn)
    assert first and second and first != second


def test_a_workspace_from_before_identities_gets_one_with_its_first_backup(demo):
    with demo.transaction():
        demo.conn.execute("DELETE FROM settings WHERE key = ?", (identity.KEY,))
    made = backup.make_backup(demo)
    assigned = identity.read_id(demo.conn)
    assert assigned
    [info] = catalog.list_backups(made.path.parent)
    assert info.workspace_id == assigned


def test_rotation_never_touches_a_same_named_workspaces_backups(demo, demo_path):
    folder = backup.backup_folder(demo)
    for days in range(1, 30):
        age(backup.make_backup(demo, kind="auto", rotate=False).path, days)
    mine = {p.name for p in folder.iterdir()}
    other = twin(demo_path, "elsewhere")
    with Workspace.open(other) as ws:
        for days in range(1, 30):
            age(backup.make_backup(ws, kind="auto", rotate=False).path, days)
        made = backup.make_backup(ws, kind="auto")
    assert made.pruned, "its own old backups were rotated"
    assert mine <= {p.name for p in folder.iterdir()}, "none of the demo's was removed"


def test_encrypted_backups_are_told_apart_without_their_passphrase(demo, demo_path):
    other = twin(demo_path, "elsewhere")
    folder = backup.backup_folder(demo)
    mine = backup.make_backup(demo, passphrase="pw").path
    with Workspace.open(other) as ws:
        theirs = backup.make_backup(ws, passphrase="other pw").path
        assert [b.path for b in ownership.backups_of(ownership.owner_of(ws), folder)] == [theirs]
    assert [b.path for b in ownership.backups_of(ownership.owner_of(demo), folder)] == [mine]
    with mine.open("rb") as handle:
        assert crypto.read_header(handle).label["workspace_id"] == identity.read_id(demo.conn)


def test_older_backups_belong_to_the_workspace_whose_log_names_them(demo, demo_path):
    made = backup.make_backup(demo, kind="auto").path
    without_identity(made)
    other = twin(demo_path, "elsewhere")
    with Workspace.open(other) as ws:
        assert ownership.backups_of(ownership.owner_of(ws), made.parent) == []
        for days in range(1, 30):
            age(backup.make_backup(ws, kind="auto", rotate=False).path, days)
        backup.make_backup(ws, kind="auto")
    [info] = ownership.backups_of(ownership.owner_of(demo), made.parent)
    assert info.path == made and info.workspace_id == ""
    age(backup.make_backup(demo, kind="auto", rotate=False).path, 400)
    backup.make_backup(demo, kind="auto")
    assert made.exists(), "a backup that carries no identity is never rotated"


def test_a_restored_workspace_keeps_its_backups_wherever_it_goes(demo, tmp_path):
    made = backup.make_backup(demo).path
    new_laptop = tmp_path / "new-laptop" / "renamed.sqlite"
    restore(made, new_laptop)
    owner = ownership.owner_at(new_laptop)
    assert owner.workspace_id == identity.read_id(demo.conn)
    assert made in [b.path for b in ownership.backups_of(owner, made.parent)]


def test_restoring_over_another_workspace_keeps_that_workspaces_identity(demo, demo_path):
    other = twin(demo_path, "elsewhere")
    with Workspace.open(other) as ws:
        theirs = identity.read_id(ws.conn)
    restore(backup.make_backup(demo).path, other)
    with Workspace.open_readonly(other) as ws:
        assert reports.counts(ws).contacts == reports.counts(demo).contacts
        assert identity.read_id(ws.conn) == theirs, "two workspaces never share one identity"


def test_a_damaged_workspace_finds_its_own_backups_by_where_it_was(demo, demo_path):
    other = twin(demo_path, "elsewhere")
    with Workspace.open(other) as ws:
        backup.make_backup(ws, kind="auto")
    mine = backup.make_backup(demo, kind="auto").path
    age(backup.make_backup(demo, kind="auto", rotate=False).path, 3)
    demo.close()
    data = bytearray(demo_path.read_bytes())
    data[:100] = bytes(100)
    demo_path.write_bytes(bytes(data))
    owner = ownership.owner_at(demo_path)
    assert owner.workspace_id == ""
    found = ownership.backups_of(owner, mine.parent)
    assert len(found) == 2 and found[0].path == mine


def test_rotation_never_removes_a_manual_backup():
    now = datetime(2026, 11, 24, 18, 0).astimezone()

    def made(hours: int, kind: str) -> catalog.BackupInfo:
        when = now - timedelta(hours=hours)
        return catalog.BackupInfo(Path(f"/b/w-{when:%Y%m%d-%H%M%S}-{kind}.sdbackup"), when, 1,
                                  kind, "w", False, {})

    backups = [made(0, "auto"), made(1, "manual"), made(24 * 500, "manual"), made(2, "auto")]
    pruned = rotation.to_prune(backups, rotation.Policy(1, 0, 0))
    assert [b.kind for b in pruned] == ["auto"]

