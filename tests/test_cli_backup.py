"""``socialdesk backup``, ``backups`` and ``restore`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bad_workspaces import damage_an_index, hostile_backup
from socialdesk.cli import main
from socialdesk.store import reports
from socialdesk.store.workspace import Workspace


def counts(path: Path) -> tuple[int, int]:
    with Workspace.open_readonly(path) as ws:
        totals = reports.counts(ws)
    return totals.contacts, totals.posts


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialdesk", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env},
                          stdin=subprocess.DEVNULL)


def test_backup_then_list_then_restore(demo_path: Path, capsys, isolated_environment) -> None:
    assert main(["backup", "--workspace", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Backed up" in out and str(isolated_environment / "data" / "backups") in out
    assert main(["backups", "--json", "--workspace", str(demo_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert isinstance(listed, list) and len(listed) == 1
    assert {"path", "created", "size"} <= set(listed[0])
    assert listed[0]["counts"]["contacts"] == counts(demo_path)[0]
    before = counts(demo_path)
    with Workspace.open(demo_path) as ws, ws.transaction():
        ws.conn.execute("DELETE FROM posts")
    assert main(["restore", listed[0]["path"], "--yes", "--workspace", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "backed up to" in out
    assert counts(demo_path) == before


def test_restore_asks_for_confirmation_without_a_terminal(demo_path: Path) -> None:
    made = run("backup", "--to", str(demo_path.parent / "out"), "--workspace", str(demo_path))
    assert made.returncode == 0, made.stderr
    archive = next((demo_path.parent / "out").glob("*.sdbackup"))
    refused = run("restore", str(archive), "--workspace", str(demo_path))
    assert refused.returncode == 1 and "--yes" in refused.stderr


def test_restore_creates_a_new_workspace_on_another_machine(demo_path, tmp_path) -> None:
    assert main(["backup", "--to", str(tmp_path / "usb"), "--workspace", str(demo_path)]) == 0
    archive = next((tmp_path / "usb").glob("*.sdbackup"))
    target = tmp_path / "new-laptop" / "workspace.sqlite"
    assert main(["restore", str(archive), "--workspace", str(target)]) == 0
    assert counts(target) == counts(demo_path)


def test_encrypted_backup_needs_the_passphrase(demo_path, tmp_path) -> None:
    made = run("backup", "--to", str(tmp_path / "enc"), "--encrypt",
               "--workspace", str(demo_path), SOCIALDESK_PASSPHRASE="blue whale")
    assert made.returncode == 0, made.stderr
    assert "encrypted" in made.stdout
    archive = next((tmp_path / "enc").glob("*.sdbackup"))
    target = tmp_path / "r.sqlite"
    missing = run("restore", str(archive), "--workspace", str(target))
    assert missing.returncode == 1 and "SOCIALDESK_PASSPHRASE" in missing.stderr
    wrong = run("restore", str(archive), "--workspace", str(target),
                SOCIALDESK_PASSPHRASE="red whale")
    assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
    assert not target.exists()
    right = run("restore", str(archive), "--workspace", str(target),
                SOCIALDESK_PASSPHRASE="blue whale")
    assert right.returncode == 0, right.stderr
    assert counts(target) == counts(demo_path)
    listed = run("backups", "--json", "--workspace", str(demo_path))
    assert json.loads(listed.stdout) == []  # --to DIR is not the backups folder


def test_encrypt_without_passphrase_or_terminal_is_a_clear_error(demo_path) -> None:
    made = run("backup", "--encrypt", "--workspace", str(demo_path))
    assert made.returncode == 1 and "SOCIALDESK_PASSPHRASE" in made.stderr


def test_a_damaged_workspace_exits_1_and_says_how_to_restore(demo_path, capsys) -> None:
    assert main(["backup", "--workspace", str(demo_path)]) == 0
    before = counts(demo_path)
    data = bytearray(demo_path.read_bytes())
    data[:100] = bytes(100)
    demo_path.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["check", "--workspace", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "socialdesk restore latest" in err
    assert main(["restore", "latest", "--yes", "--workspace", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "damaged workspace was kept as" in out
    assert counts(demo_path) == before
    kept = list(demo_path.parent.glob("demo.damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes()[:100] == bytes(100)


def test_a_backup_whose_view_never_ends_is_refused_at_once(demo_path, tmp_path) -> None:
    source = tmp_path / "elsewhere" / "demo.sqlite"
    source.parent.mkdir()
    source.write_bytes(demo_path.read_bytes())
    hostile = tmp_path / "hostile.sdbackup"
    name = hostile_backup(source, "view", hostile)
    before = demo_path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "socialdesk", "restore", str(hostile), "--yes", "--workspace",
         str(demo_path)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert str(hostile) in done.stderr and f"'{name}'" in done.stderr
    assert demo_path.read_bytes() == before
    assert [p.name for p in demo_path.parent.iterdir() if p.name.startswith(".")] == []
    assert not list(demo_path.parent.glob("*.lock")), "no lock is left behind"


def test_index_damage_is_found_by_check_and_restore_latest_recovers(demo_path, capsys) -> None:
    assert main(["backup", "--workspace", str(demo_path)]) == 0
    before = counts(demo_path)
    damaged = damage_an_index(demo_path)
    capsys.readouterr()
    assert main(["check", "--workspace", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert "contacts_name" in err and "socialdesk restore latest" in err
    assert main(["restore", "latest", "--yes", "--workspace", str(demo_path)]) == 0
    assert "damaged workspace was kept as" in capsys.readouterr().out
    assert counts(demo_path) == before
    kept = list(demo_path.parent.glob("demo.damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_backups_when_there_are_none(demo_path, capsys) -> None:
    assert main(["backups", "--workspace", str(demo_path)]) == 0
    assert "No backups" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["backup", "backups", "restore"])
def test_commands_are_in_the_readme(command: str) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"`socialdesk {command}" in readme


def test_two_workspaces_with_the_same_file_name_keep_their_own_backups(
        tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a" / "shop.sqlite", tmp_path / "b" / "shop.sqlite"
    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Only Contact\r\nEND:VCARD\r\n",
                    encoding="utf-8")
    assert main(["demo", str(a)]) == 0
    assert main(["import", "contacts", str(card), "--workspace", str(b)]) == 0
    assert main(["backup", "--workspace", str(a)]) == 0
    time.sleep(1.01 - time.time() % 1)  # b's backup is the newer, as when typed by hand
    assert main(["backup", "--workspace", str(b)]) == 0
    assert "Removed" not in capsys.readouterr().out, "b's backup removes none of a's"
    demo_counts = counts(a)
    assert counts(b) == (1, 0)

    def listed(workspace: Path) -> list[dict]:
        assert main(["backups", "--json", "--workspace", str(workspace)]) == 0
        return json.loads(capsys.readouterr().out)

    mine, theirs = listed(a), listed(b)
    assert [entry["counts"]["contacts"] for entry in mine] == [demo_counts[0]]
    assert [entry["counts"]["contacts"] for entry in theirs] == [1]
    assert Path(mine[0]["path"]).exists()
    with Workspace.open(a) as ws, ws.transaction():
        ws.conn.execute("DELETE FROM posts")
    assert main(["restore", "latest", "--yes", "--workspace", str(a)]) == 0
    assert counts(a) == demo_counts, "a gets its own backup back, not b's"


def test_backups_follow_a_renamed_workspace(tmp_path: Path, capsys) -> None:
    first = tmp_path / "shop.sqlite"
    assert main(["demo", str(first)]) == 0
    assert main(["backup", "--workspace", str(first)]) == 0
    moved = tmp_path / "moved" / "bakery.sqlite"
    moved.parent.mkdir()
    first.rename(moved)
    capsys.readouterr()
    assert main(["backups", "--json", "--workspace", str(moved)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["demo", str(first)]) == 0  # a new workspace where the old one was
    capsys.readouterr()
    assert main(["backups", "--json", "--workspace", str(first)]) == 0
    assert json.loads(capsys.readouterr().out) == [], "the newcomer does not claim it"
