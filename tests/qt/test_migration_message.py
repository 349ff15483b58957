"""Opening a workspace whose update merged entries says so in the window."""

from __future__ import annotations

from pathlib import Path

from rule_breaking import make_rule_breaking


def test_the_window_says_what_updating_the_workspace_merged(open_window, tmp_path: Path) -> None:
    main = open_window(make_rule_breaking(tmp_path / "old.sqlite"))
    message = main.statusBar().currentMessage()
    assert "Updating this workspace merged or renamed 7 entries" in message
    assert "socialdesk check" in message
    main.close()
    again = open_window(tmp_path / "old.sqlite")  # said once, when it happened
    assert "Updating this workspace" not in again.statusBar().currentMessage()
