"""Where SocialDesk keeps its files, as the environment moves them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from socialdesk.core import paths


def test_the_cache_folder_follows_the_environment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("SOCIALDESK_CACHE_DIR")
    monkeypatch.setenv("SOCIALDESK_DATA_DIR", str(tmp_path / "stick"))
    assert paths.cache_dir() == tmp_path / "stick" / "cache"  # a portable install's own
    monkeypatch.delenv("SOCIALDESK_DATA_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert paths.cache_dir() == tmp_path / "xdg" / "SocialDesk"
        monkeypatch.setenv("XDG_CACHE_HOME", " ")
        assert paths.cache_dir() == Path("~/.cache/SocialDesk").expanduser()
