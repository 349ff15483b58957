"""``socialdesk accounts`` and ``socialdesk publish``, against the fake servers.

The crash test kills a real ``socialdesk publish`` with SIGKILL after the server made the
post and before its answer arrived; a second run must find the post, not send it again.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
    connected_long_ago,
)
from socialdesk.cli import main
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post
from socialdesk.store.workspace import Workspace

TEXT = "Rye day 🍞 at the market hall: https://hearth.example/rye"


@pytest.fixture
def path(tmp_path: Path, fresh_keyring: None) -> Path:
    path = tmp_path / "bakery.sqlite"
    Workspace.open(path, create=True).close()
    return path


def connect(path: Path, monkeypatch: pytest.MonkeyPatch, mastodon: FakeMastodon | None,
            bluesky: FakeBluesky | None) -> None:
    monkeypatch.setenv("SOCIALDESK_TOKEN", MASTODON_TOKEN)
    monkeypatch.setenv("SOCIALDESK_APP_PASSWORD", BLUESKY_PASSWORD)
    if mastodon:
        assert main(["accounts", "add", "mastodon", "--instance", mastodon.url,
                     "--workspace", str(path)]) == 0
    if bluesky:
        assert main(["accounts", "add", "bluesky", "--handle", BLUESKY_HANDLE, "--service",
                     bluesky.url, "--workspace", str(path)]) == 0
    with sqlite3.connect(path) as conn:
        connected_long_ago(conn)


def add_post(path: Path, *, hours: float = -1, networks: tuple[str, ...] = (
        "mastodon", "bluesky")) -> int:
    when = datetime.now(UTC) + timedelta(hours=hours)
    with Workspace.open(path) as ws:
        return create_post(ws, PostDraft(
            title="Rye day", body=TEXT, status="scheduled",
            scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
            timezone="UTC", channels=tuple((n, None) for n in networks)))


def test_accounts_are_added_listed_and_removed(
        path: Path, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    connect(path, monkeypatch, mastodon_server, bluesky_server)
    out = capsys.readouterr().out
    assert "Connected #1  mastodon  @hearth@127.0.0.1" in out and "(Hearth Bakery)" in out
    assert f"Connected #2  bluesky   {BLUESKY_HANDLE}" in out
    assert main(["accounts", "--json", "--workspace", str(path)]) == 0
    listed = json.loads(capsys.readouterr().out)["accounts"]
    assert [(a["id"], a["network"], a["name"]) for a in listed] == [
        (1, "mastodon", "Hearth Bakery"), (2, "bluesky", "")]
    assert main(["accounts", "remove", "1", "--workspace", str(path)]) == 0
    assert main(["accounts", "--workspace", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Removed #1" in out and "@hearth" not in out.split("Removed")[1].split("\n", 1)[1]
    assert main(["accounts", "remove", "7", "--workspace", str(path)]) == 1
    assert capsys.readouterr().err == "socialdesk: There is no connected account 7.\n"
    for secret in (MASTODON_TOKEN, BLUESKY_PASSWORD):
        assert secret.encode() not in path.read_bytes()


def test_a_refused_token_is_one_line_on_stderr(
        path: Path, mastodon_server: FakeMastodon, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOCIALDESK_TOKEN", "revoked")
    assert main(["accounts", "add", "mastodon", "--instance", mastodon_server.url,
                 "--workspace", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "refused the access token (401: The access " \
        "token is invalid). Connect the account again with a new one." in captured.err
    assert "revoked" not in captured.err


def test_without_a_secret_or_a_terminal_the_command_says_what_to_set(
        path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SOCIALDESK_APP_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["accounts", "add", "bluesky", "--handle", "a.bsky.social",
                 "--workspace", str(path)]) == 1
    assert "set SOCIALDESK_APP_PASSWORD" in capsys.readouterr().err


def test_publish_sends_once_and_reports_as_json(
        path: Path, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    connect(path, monkeypatch, mastodon_server, bluesky_server)
    post = add_post(path)
    capsys.readouterr()
    assert main(["publish", str(post), "--json", "--workspace", str(path)]) == 0
    outcomes = json.loads(capsys.readouterr().out)["outcomes"]
    assert [(o["network"], o["state"]) for o in outcomes] == [
        ("mastodon", "sent"), ("bluesky", "sent")]
    assert outcomes[0]["url"] == mastodon_server.statuses[0]["url"]
    assert main(["publish", "--due", "--workspace", str(path)]) == 0
    assert capsys.readouterr().out == "Nothing is due.\n"
    assert len(mastodon_server.statuses) == 1 and len(bluesky_server.records) == 1


def test_publish_needs_a_post_or_due(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", "--workspace", str(path)]) == 1
    assert main(["publish", "3", "--due", "--workspace", str(path)]) == 1
    assert capsys.readouterr().err.count("give a POST_ID or --due") == 2


def test_a_refused_publication_exits_1_with_the_reason(
        path: Path, mastodon_server: FakeMastodon, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    connect(path, monkeypatch, mastodon_server, None)
    post = add_post(path, networks=("mastodon",))
    mastodon_server.refuse_next(429, {"error": "Too many requests"}, {"Retry-After": "0"})
    capsys.readouterr()
    assert main(["publish", str(post), "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"socialdesk: Post {post} → @hearth@") and \
        "(429: Too many requests); try again in 1 second." in err
    assert main(["publish", "--due", "--workspace", str(path)]) == 0
    assert "Sent to @hearth@" in capsys.readouterr().out
    assert len(mastodon_server.statuses) == 1


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_a_publish_killed_between_intent_and_answer_never_sends_twice(
        path: Path, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        monkeypatch: pytest.MonkeyPatch, network: str) -> None:
    fake = mastodon_server if network == "mastodon" else bluesky_server
    connect(path, monkeypatch, mastodon_server if network == "mastodon" else None,
            bluesky_server if network == "bluesky" else None)
    post = add_post(path, networks=(network,))
    fake.hang_after_post = True
    command = [sys.executable, "-m", "socialdesk", "publish", str(post), "--json",
               "--workspace", str(path)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert fake.post_received.wait(60), "the post request never reached the server"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT state FROM publications").fetchall() == [("intent",)]
    fake.hang_after_post = False
    fake.release.set()

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    (outcome,) = json.loads(again.stdout)["outcomes"]
    assert outcome["state"] == "sent" and outcome["message"].startswith("Found already sent")
    made = fake.statuses if isinstance(fake, FakeMastodon) else list(fake.records)
    assert len(made) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT state, remote_id FROM publications").fetchall() == [
            ("sent", outcome["remote_id"])]


def test_due_posts_are_left_to_the_app_that_has_the_workspace_open(path: Path) -> None:
    from socialdesk.core.lock import WorkspaceLock

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    lock = WorkspaceLock.acquire(path)  # as the open app holds it
    try:
        due = subprocess.run([sys.executable, "-m", "socialdesk", "publish", "--due",
                              "--workspace", str(path)], env=env, capture_output=True,
                             text=True, timeout=60)
        one = subprocess.run([sys.executable, "-m", "socialdesk", "publish", "1",
                              "--workspace", str(path)], env=env, capture_output=True,
                             text=True, timeout=60)
    finally:
        lock.release()
    assert due.returncode == 0 and due.stderr.startswith("Nothing sent: ")
    assert one.returncode == 1 and "process" in one.stderr


def test_results_fetch_reads_back_what_posts_gathered(
        path: Path, mastodon_server: FakeMastodon, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    connect(path, monkeypatch, mastodon_server, None)
    post = add_post(path, networks=("mastodon",))
    assert main(["publish", str(post), "--workspace", str(path)]) == 0
    mastodon_server.boost(mastodon_server.statuses[0]["id"], "zed@elsewhere.example")
    capsys.readouterr()
    assert main(["results", "fetch", "--since", "2020-01-01", "--json",
                 "--workspace", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "read": 1, "shared": [], "reshares": [], "problems": []}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT boosts, engagements FROM publication_results, posts"
                            ).fetchone() == (1, 1)
    assert main(["results", "fetch", "--since", "2999-01-01", "--workspace", str(path)]) == 0
    assert capsys.readouterr().out == "Read the results of 0 posts.\n"
