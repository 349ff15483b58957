"""``socialdesk share-kit``: an ask's kit on the command line, as text, JSON or a web page."""

from __future__ import annotations

import html
import json
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from socialdesk.cli import main
from socialdesk.core.limits import count_characters


def ask_with_link(path: Path) -> tuple[int, str]:
    """An ask of the demo whose post has a link, and its partner's name."""
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT a.id, c.name FROM asks a JOIN posts p ON p.id = a.post_id "
            "JOIN contacts c ON c.id = a.contact_id JOIN audiences u ON u.contact_id = c.id "
            "WHERE p.link <> '' ORDER BY a.id LIMIT 1").fetchone()
    return int(row[0]), str(row[1])


def kit_json(capsys: pytest.CaptureFixture[str], path: Path, ask: int) -> dict:
    assert main(["share-kit", str(ask), "--json", "--workspace", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_json_kit_has_a_tracked_link_in_every_fitting_text(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ask, partner = ask_with_link(demo_path)
    kit = kit_json(capsys, demo_path, ask)
    assert set(kit) == {"ask", "partner", "link", "networks"}
    assert kit["ask"] == ask and kit["partner"] == partner
    query = parse_qs(urlsplit(kit["link"]).query)
    assert query["utm_medium"] == ["partner"]
    assert query["utm_content"][0].startswith("post-")
    assert kit["networks"]
    for network in kit["networks"]:
        assert set(network) == {"network", "text", "length", "limit", "intent_url"}
        assert kit["link"] in network["text"]
        assert network["length"] == count_characters(network["network"], network["text"])
        if network["limit"]:
            assert network["length"] <= network["limit"]


def test_a_partners_slug_is_kept_once_made_even_after_a_rename(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ask, _partner = ask_with_link(demo_path)
    first = kit_json(capsys, demo_path, ask)["link"]
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE contacts SET name = 'Someone Else' WHERE id = "
                     "(SELECT contact_id FROM asks WHERE id = ?)", (ask,))
    assert kit_json(capsys, demo_path, ask)["link"] == first


def test_two_partners_of_one_name_get_different_slugs(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(demo_path) as conn:
        asks = conn.execute("SELECT a.id, a.contact_id FROM asks a JOIN posts p ON "
                            "p.id = a.post_id WHERE p.link <> '' ORDER BY a.id").fetchall()
        first, second = asks[0], next(a for a in asks if a[1] != asks[0][1])
        conn.execute("UPDATE contacts SET name = 'Twin' WHERE id IN (?, ?)",
                     (first[1], second[1]))
    sources = {parse_qs(urlsplit(kit_json(capsys, demo_path, ask)["link"]).query)
               ["utm_source"][0] for ask, _ in (first, second)}
    assert sources == {"twin", "twin-2"}


def test_the_page_is_written_whole(demo_path: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    ask, partner = ask_with_link(demo_path)
    out = tmp_path / "kit.html"
    assert main(["share-kit", str(ask), "--out", str(out), "--workspace",
                 str(demo_path)]) == 0
    assert str(out) in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page
    assert "<script" not in page and "http://" not in page.split("<body>")[0]
    assert f"Hi {html.escape(partner)}!" in page


def test_an_unknown_ask_is_one_clear_message(demo_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["share-kit", "99999", "--workspace", str(demo_path)]) == 1
    assert "no ask #99999" in capsys.readouterr().err


def test_the_page_must_be_an_html_file(demo_path: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["share-kit", "1", "--out", str(tmp_path / "kit.pdf"), "--workspace",
                 str(demo_path)]) == 1
    assert ".html" in capsys.readouterr().err
