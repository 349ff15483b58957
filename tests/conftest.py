"""Every test runs offscreen, with its own data folder, settings and keyring."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from shared_files import INTEROP  # noqa: F401 - re-exported
from socialdesk.store.workspace import Workspace

# The machines that run the suite are shared: time says nothing about a property, so no
# example is failed for being slow (tests that bound time set their own deadline).
settings.register_profile("shared-machine", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-machine")


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A cache folder for what session fixtures make (a demo's planner figures), not ~/.cache."""
    os.environ["SOCIALDESK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every folder SocialDesk (and keyring) uses into the test's temp folder."""
    home = tmp_path / "home"
    for name, sub in (
        ("SOCIALDESK_DATA_DIR", "data"),
        ("SOCIALDESK_CONFIG_DIR", "config"),
        ("SOCIALDESK_CACHE_DIR", "cache"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.delenv("SOCIALDESK_WORKSPACE", raising=False)
    monkeypatch.delenv("SOCIALDESK_TODAY", raising=False)
    monkeypatch.delenv("SOCIALDESK_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def fresh_keyring():
    """A keyring file of the test's own (``isolated_environment`` puts it in tmp_path)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def workspace(tmp_path: Path):
    """A new, empty workspace."""
    ws = Workspace.open(tmp_path / "test.sqlite", create=True)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def _demo_templates() -> dict[date, Path]:
    return {}


@pytest.fixture
def demo_template(_demo_templates: dict[date, Path],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's small demo workspace, made once per day of the session and copied for each
    test that wants it: the demo is built around its day, and the app reads the real date,
    so a run that goes past midnight needs a new one."""
    from socialdesk.core.demo import create_demo

    day = date.today()
    if day not in _demo_templates:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        create_demo(path, size="small", seed=1, today=day)
        _demo_templates[day] = path
    return _demo_templates[day]


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the small demo workspace (closed, checkpointed: a file copy is safe)."""
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo(demo_path: Path):
    """The small demo workspace, open."""
    ws = Workspace.open(demo_path)
    yield ws
    ws.close()


@pytest.fixture
def disk(tmp_path: Path):
    """A 4 MB file system of the test's own, to fill up or make read-only (see disks.py)."""
    from disks import small_disk

    with small_disk(tmp_path / "disk") as folder:
        yield folder
