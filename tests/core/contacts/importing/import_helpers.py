"""Helpers shared by the contact import tests (the interop corpus lives outside the repo)."""

from __future__ import annotations

from pathlib import Path

from shared_files import INTEROP

# /work/main/tests/core/contacts/importing -> /work/main/../shared/interop (never copied here).


def interop_files(folder: str) -> list[Path]:
    """The corpus files of one folder (empty when the corpus is absent)."""
    base = INTEROP / folder
    return sorted(p for p in base.iterdir() if p.is_file()) if base.is_dir() else []
