"""The kit page in a real browser: readable on a phone and a desktop, and fully offline."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image

from socialdesk.core.share.kit import KitAudience, KitInput, build_kit
from socialdesk.core.share.page import embedded_image, kit_page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def sample_kit() -> KitInput:
    return KitInput(
        ask_id=1, partner="Corner Café <&>", slug="corner-cafe",
        audiences=(KitAudience("x", "@c", "", 5_000), KitAudience("bluesky", "", "", 800),
                   KitAudience("instagram", "", "", 2_000)),
        post_id=3, title="Sourdough Saturday", body="Fresh loaves from 7am " * 20,
        link="https://bakery.example/sourdough", variants={}, scheduled_on="2026-12-12")


def write_page(tmp_path: Path) -> Path:
    picture = tmp_path / "loaf.png"
    Image.new("RGB", (3000, 2000), (200, 120, 40)).save(picture)
    page = tmp_path / "kit.html"
    page.write_text(kit_page(build_kit(sample_kit()), picture, "Ann, Hearth & Crumb"),
                    encoding="utf-8")
    return page


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that notes each request (the browser's only proxy)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                first = conn.recv(4096).split(b"\r\n", 1)[0]
            except OSError:
                first = b""
            self.requests.append(first.decode("latin-1"))
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.server.close()


def screenshot(page: Path, size: str, out: Path, proxy_port: int) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--disable-extensions",
         f"--proxy-server=127.0.0.1:{proxy_port}", "--proxy-bypass-list=<-loopback>",
         f"--user-data-dir={out.parent / ('profile-' + out.stem)}",
         f"--window-size={size}", f"--screenshot={out}", page.as_uri()],
        check=True, capture_output=True, timeout=120)


@needs_chromium
@pytest.mark.parametrize("size", ["375,812", "1280,800"])
def test_the_page_shows_on_a_phone_and_a_desktop_asking_nothing_of_the_network(
        tmp_path: Path, size: str) -> None:
    page = write_page(tmp_path)
    shot = tmp_path / "shot.png"
    counter = ConnectionCounter()
    try:
        screenshot(page, size, shot, counter.port)
    finally:
        counter.close()
    # The browser asks its own services for things (updates, safe browsing); the page
    # must not ask for anything: none of the hosts it names, nor any other page resource.
    page_text = page.read_text(encoding="utf-8")
    browser_own = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
    from_page = [line for line in counter.requests
                 if line and not any(f"{host}:" in line or f"{host}/" in line
                                     for host in browser_own)]
    assert not from_page, f"the page went to the network: {from_page}"
    assert "http" not in page_text.split("<body>")[0].replace("http-equiv", "")
    with Image.open(shot) as image:
        assert image.size == tuple(int(n) for n in size.split(","))
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50, "the screenshot is blank"


def test_the_image_is_scaled_down_and_embedded(tmp_path: Path) -> None:
    page = write_page(tmp_path).read_text(encoding="utf-8")
    assert 'src="data:image/jpeg;base64,' in page
    assert len(page) < 300_000  # a 3000 px picture, scaled to 1080 px
    assert "Corner Café &lt;&amp;&gt;" in page and "Saturday 12 December" in page


def test_what_is_not_an_image_is_left_out(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert embedded_image(fake) is None
    assert embedded_image(tmp_path / "missing.png") is None


def test_a_decompression_bomb_is_not_opened(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # a few kB on disk, 400 megapixels
    assert bomb.stat().st_size < 1_000_000
    assert embedded_image(bomb) is None
