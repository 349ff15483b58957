#!/usr/bin/env python3
"""Render the SocialDesk app icon (socialdesk.svg) to PNG and ICO files.

The SVG in this directory is the single source of truth; every raster icon
next to it is generated from it by this script.  Regenerate after editing
the SVG:

    python3 -m venv /tmp/iconvenv
    /tmp/iconvenv/bin/pip install PySide6-Essentials Pillow
    QT_QPA_PLATFORM=offscreen /tmp/iconvenv/bin/python resources/icons/render_icons.py

Outputs (written next to this script):

    socialdesk-<N>.png  for N in 16, 24, 32, 48, 64, 128, 256, 512
    socialdesk.ico      16..256 px, multi-size (Windows builds; needs Pillow,
                        skipped with a notice if Pillow is not installed)

Rendering uses Qt's own SVG renderer (QSvgRenderer, SVG Tiny 1.2 subset), so
what you get here is what the running app shows.  Each size is rendered
directly from the vector source (not downscaled from a large bitmap) onto a
transparent ARGB image with antialiasing on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

HERE = Path(__file__).resolve().parent
SVG_PATH = HERE / "socialdesk.svg"


def render_pngs(svg_path: Path = SVG_PATH, out_dir: Path = HERE) -> list[Path]:
    """Render svg_path to out_dir/socialdesk-<N>.png for every PNG size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841

    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise SystemExit(f"Qt could not parse {svg_path}")

    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()

        out = out_dir / f"socialdesk-{size}.png"
        if not image.convertToFormat(QImage.Format.Format_ARGB32).save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        written.append(out)
    return written


def write_ico(out_dir: Path = HERE) -> Path | None:
    """Bundle the rendered PNGs into a multi-size socialdesk.ico (Pillow)."""
    try:
        from PIL import Image
    except ImportError:
        print("Pillow not installed: skipping socialdesk.ico", file=sys.stderr)
        return None

    images = [Image.open(out_dir / f"socialdesk-{s}.png").convert("RGBA") for s in ICO_SIZES]
    largest = images[-1]
    out = out_dir / "socialdesk.ico"
    # append_images supplies the exact Qt renders for each size instead of
    # letting Pillow downscale the 256 px image.
    largest.save(
        out,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=images[:-1],
    )
    return out


def main() -> int:
    """Render every PNG size (and the .ico when Pillow is present)."""
    for path in render_pngs():
        print(f"wrote {path.relative_to(HERE.parent.parent)}")
    ico = write_ico()
    if ico is not None:
        print(f"wrote {ico.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
