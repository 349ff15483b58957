"""``socialdesk sync`` as a user runs it: a real subprocess against a real Radicale."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_engine import laptop, posts, sync, write

from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

TESTS = Path(__file__).parents[2]
# The command line with the test kind as the kinds it syncs (the real ones come later).
BOOT = (f"import sys; sys.path.insert(0, {str(TESTS)!r}); import sync_notes; "
        "from socialdesk.core.sync import kinds; "
        "kinds.default_kinds = lambda: list(sync_notes.KINDS); "
        "from socialdesk.cli import main; sys.exit(main(sys.argv[1:]))")
Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


def command(*args: str, password: str = "secret") -> list[str]:
    return [sys.executable, "-c", BOOT, *args]


def cli(*args: str, password: str = "secret") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOCIALDESK_SYNC_PASSWORD": password}
    return subprocess.run(command(*args), capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def new_workspace(path: Path) -> Path:
    Workspace.open(path, create=True).close()
    return path


def test_setup_sync_resolve_and_status_from_the_command_line(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann_path = new_workspace(tmp_path / "Corner Bakery.socialdesk")
    bob_path = new_workspace(tmp_path / "bob.socialdesk")
    done = cli("sync", "setup", dav.url, "--user", "team", "--workspace", str(ann_path))
    assert done.returncode == 0, done.stderr
    assert "corner-bakery-calendar" in done.stdout
    done = cli("sync", "setup", dav.url, "--user", "team", "--name", "Corner Bakery",
               "--workspace", str(bob_path))
    assert done.returncode == 0, done.stderr

    with Workspace.open(ann_path) as ann, Workspace.open(bob_path) as bob:
        write(ann, "p1", title="Bread day")
        sync(ann), sync(bob)
        write(ann, "p1", title="Ann's title")
        write(bob, "p1", title="Bob's title")
        sync(ann)
    done = cli("sync", "--json", "--workspace", str(bob_path))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    [conflict] = summary.pop("conflicts")
    assert summary == {"sent": 0, "received": 0, "merged": 0, "deleted": 0}
    assert conflict == {"id": conflict["id"], "kind": "post", "title": "Bob's title",
                        "field": "title", "mine": "Bob's title", "theirs": "Ann's title"}

    status = cli("sync", "status", "--json", "--workspace", str(bob_path))
    assert json.loads(status.stdout)["conflicts"] == [conflict]
    text = cli("sync", "status", "--workspace", str(bob_path)).stdout
    assert "Conflicts:    1" in text and 'title: mine "Bob\'s title", theirs "Ann\'s title"' in text

    done = cli("sync", "resolve", str(conflict["id"]), "--keep", "theirs",
               "--workspace", str(bob_path))
    assert done.returncode == 0, done.stderr
    again = cli("sync", "resolve", str(conflict["id"]), "--keep", "theirs",
                "--workspace", str(bob_path))
    assert again.returncode == 1
    assert again.stderr.strip() == f"socialdesk: There is no sync conflict {conflict['id']}."
    done = cli("sync", "--workspace", str(bob_path))
    assert done.stdout.startswith("Sent 0, received 0, merged 0, deleted 0.")
    with Workspace.open(bob_path) as bob:
        assert posts(bob)["p1"]["title"] == "Ann's title"


def test_the_command_lines_one_line_errors(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    path = new_workspace(tmp_path / "w.socialdesk")
    done = cli("sync", "--workspace", str(path))
    assert (done.returncode, done.stderr) == (
        1, "socialdesk: Sync is not set up: run `socialdesk sync setup URL --user NAME`.\n")
    done = cli("sync", "setup", dav.url, "--user", "team", "--workspace", str(path),
               password="wrong")
    assert done.returncode == 1
    assert done.stderr.startswith("socialdesk: 127.0.0.1:") and "(401)" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert cli("sync", "setup", dav.url, "--user", "team", "--workspace",
               str(path)).returncode == 0
    dav.stop()
    done = cli("sync", "--workspace", str(path))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("socialdesk: Cannot reach 127.0.0.1:")


def test_a_sync_killed_with_sigkill_then_run_again_duplicates_nothing(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    path = new_workspace(tmp_path / "ann.socialdesk")
    assert cli("sync", "setup", dav.url, "--user", "team", "--name", "Corner Bakery",
               "--workspace", str(path)).returncode == 0
    with Workspace.open(path) as ws:
        for n in range(8):
            write(ws, f"p{n}", title=f"Post {n}")
    reached, release = threading.Event(), threading.Event()
    puts = [0]

    def hold_the_fourth_put(app: Wsgi) -> Wsgi:
        def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Any:
            answer = app(environ, start)  # stored on the server …
            if environ["REQUEST_METHOD"] == "PUT":
                puts[0] += 1
                if puts[0] == 4:
                    reached.set()
                    release.wait(30)  # … but the answer waits until the client is dead
            return answer
        return wrapped

    dav.wrap.append(hold_the_fourth_put)
    env = {**os.environ, "SOCIALDESK_SYNC_PASSWORD": "secret"}
    process = subprocess.Popen(command("sync", "--workspace", str(path)), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert reached.wait(60)
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
    finally:
        release.set()
        process.kill()
    dav.wrap.clear()

    done = cli("sync", "--json", "--workspace", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sent"] == 4  # p4 … p7; p3 was stored before the kill
    bob = laptop(tmp_path, "bob", dav.url)
    assert sync(bob).received == 8
    with Workspace.open(path) as ann:
        assert posts(bob) == posts(ann)
        account = state.account(ann)
        assert account is not None and len(state.items(ann, "post")) == 8
    bob.close()
