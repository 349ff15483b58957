"""The command line on damaged workspaces, full and read-only disks and empty files.

Each case ends in one message naming the file and exit status 1 — never a traceback,
never "damaged" for a sound file — and writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disks import fill, make_read_only
from socialdesk.cli import main

PAGE = 4096


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path, kind: str) -> None:
    """Damage the workspace file as a failing disk or a bad copy would."""
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    if kind.startswith("scribble"):  # every n-th page partly overwritten
        for page in range(2, pages, int(kind.removeprefix("scribble"))):
            data[page * PAGE + 100: page * PAGE + 400] = b"\xa5" * 300
    elif kind.startswith("zeropage"):  # one page zeroed
        page = int(kind.removeprefix("zeropage"))
        data[page * PAGE: (page + 1) * PAGE] = bytes(PAGE)
    elif kind.startswith("flip"):  # 50 bytes inverted at random
        chance = random.Random(int(kind.removeprefix("flip")))
        for _ in range(50):
            data[chance.randrange(PAGE, len(data))] ^= 0xFF
    elif kind.startswith("dup"):  # a page written where its neighbour belongs
        page = int(kind.removeprefix("dup"))
        data[page * PAGE: (page + 1) * PAGE] = data[(page + 1) * PAGE: (page + 2) * PAGE]
    elif kind == "freelist":  # the header's free-list pointer past the end
        data[32:36] = (pages + 5).to_bytes(4, "big")
    path.write_bytes(bytes(data))


READS = {
    "export calendar": ["export", "calendar", "--format", "csv", "--out"],
    "export contacts": ["export", "contacts", "--format", "vcard", "--out"],
    "plan": ["plan", "1", "--runs", "10", "--json"],
    "report campaign": ["report", "campaign", "1", "--out"],
}


@pytest.mark.parametrize("kind", ["scribble3", "scribble7", "scribble20", "zeropage1",
                                  "zeropage5", "zeropage20", "zeropage50", "flip1", "flip2",
                                  "flip3", "dup3", "dup10", "dup60", "freelist"])
def test_read_commands_refuse_a_damaged_workspace_as_check_does(
        demo_path: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    damage(demo_path, kind)
    before = digest(demo_path)
    where = ["--workspace", str(demo_path)]
    assert main(["check", *where]) == 1
    said = capsys.readouterr().err
    assert said.startswith(f"socialdesk: {demo_path}: ") and "damaged" in said
    for name, command in READS.items():
        out = tmp_path / f"{name.replace(' ', '-')}.out{'.pdf' if 'report' in name else ''}"
        args = [*command, str(out)] if command[-1] == "--out" else command
        assert main([*args, *where]) == 1, name
        captured = capsys.readouterr()
        assert captured.err == said, name
        assert not captured.out, name
        assert not out.exists(), name
    assert digest(demo_path) == before


@pytest.mark.parametrize("leave", [0, 16 << 10, 256 << 10])
def test_import_on_a_full_disk_says_so_and_changes_nothing(
        demo_path: Path, disk: Path, tmp_path: Path, leave: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    before = digest(path)
    source = tmp_path / "many.csv"
    source.write_text("Name,E-mail 1 - Value,Notes\n" + "".join(
        f"Person {n},p{n}@example.com,{'note ' * 20}\n" for n in range(20_000)))
    filler = fill(disk, leave)
    assert main(["import", "contacts", str(source), "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"socialdesk: {path}: the disk it is on is full"), err
    assert "damaged" not in err and "Restore" not in err
    filler.unlink()
    assert digest(path) == before
    assert main(["check", "--workspace", str(path)]) == 0


def test_a_workspace_on_a_read_only_disk_is_checked_and_exported_not_imported_into(
        demo_path: Path, disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = disk / "ws.sqlite"
    shutil.copyfile(demo_path, path)
    make_read_only(disk)
    where = ["--workspace", str(path)]
    assert main(["check", *where]) == 0
    assert f"{path}: ok" in capsys.readouterr().out
    out = tmp_path / "people.vcf"
    assert main(["export", "contacts", "--format", "vcard", "--out", str(out), *where]) == 0
    assert out.read_text().count("BEGIN:VCARD") == 150
    vcard = tmp_path / "one.vcf"
    vcard.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\n")
    capsys.readouterr()
    assert main(["import", "contacts", str(vcard), *where]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"socialdesk: {path}: is read-only"), err
    assert "damaged" not in err


def test_a_0_byte_file_is_an_empty_workspace_for_check_and_the_app(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "touched.sqlite"
    path.touch()
    assert main(["check", "--workspace", str(path)]) == 0
    assert "Nothing is set up in it yet: a new, empty workspace" in capsys.readouterr().out
    out = tmp_path / "plan.csv"
    assert main(["export", "calendar", "--format", "csv", "--out", str(out),
                 "--workspace", str(path)]) == 0
    assert "Wrote 0 posts" in capsys.readouterr().out
    assert path.stat().st_size == 0
    app = subprocess.run([sys.executable, "-m", "socialdesk", "--workspace", str(path),
                          "--quit-after-startup"], capture_output=True, text=True, timeout=120,
                         env=os.environ.copy())
    assert app.returncode == 0, app.stderr
    assert main(["check", "--workspace", str(path)]) == 0
    assert "0 contacts" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["scribble3", "flip1", "dup3"])
def test_read_commands_on_a_large_damaged_workspace_fail_cleanly_without_the_slow_check(
        demo_path: Path, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace too large to check whole before every read command (the app's own
    threshold, here lowered to 0 bytes) is read at once; damage met while reading ends in
    one message naming the file, with no output written and the file unchanged."""
    from socialdesk.store import workspace

    monkeypatch.setattr(workspace, "VERIFY_INLINE_BYTES", 0)
    damage(demo_path, kind)
    before = digest(demo_path)
    where = ["--workspace", str(demo_path)]
    failed = []
    for name, command in READS.items():
        out = tmp_path / f"{name.replace(' ', '-')}.out{'.pdf' if 'report' in name else ''}"
        args = [*command, str(out)] if command[-1] == "--out" else command
        status = main([*args, *where])
        captured = capsys.readouterr()
        if status == 0:  # this command read no damaged page
            continue
        failed.append(name)
        assert status == 1, name
        assert captured.err.startswith(f"socialdesk: {demo_path}: "), (name, captured.err)
        assert "Traceback" not in captured.err and not captured.out, name
        assert not out.exists(), name
    assert failed, "no command met the damage"
    assert digest(demo_path) == before
