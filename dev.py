#!/usr/bin/env python3
"""Run SocialDesk or its tests from a checkout, in a virtual environment of its own.

    python3 dev.py run [ARGS…]    launch the app (ARGS go to `socialdesk`)
    python3 dev.py test [ARGS…]   run ruff, mypy and the whole test suite (ARGS go to pytest)
    python3 dev.py screenshots    render every view of a fresh demo into docs/screenshots/

The first run creates `.venv/` and installs SocialDesk with its test tools into it; later
runs reuse it and reinstall only when pyproject.toml changed. Needs Python 3.11 or newer.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".socialdesk-installed"


def _bin(name: str) -> Path:
    folder = VENV / ("Scripts" if os.name == "nt" else "bin")
    return folder / (name + (".exe" if os.name == "nt" else ""))


def ensure_venv() -> None:
    """Create .venv and install the project into it when missing or out of date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain, not crash
        sys.exit(f"SocialDesk needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and _bin("python").exists():
        return
    if not _bin("python").exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    print("Installing SocialDesk and its test tools into .venv …", flush=True)
    pip = [str(_bin("python")), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def screenshots() -> int:
    """Render each view of a new small demo workspace to docs/screenshots/VIEW.png."""
    import tempfile

    app = str(_bin("socialdesk"))
    with tempfile.TemporaryDirectory() as scratch:
        demo = Path(scratch) / "demo.sqlite"
        env = {**os.environ, "SOCIALDESK_CONFIG_DIR": scratch, "SOCIALDESK_DATA_DIR": scratch}
        subprocess.run([app, "demo", str(demo)], check=True, env=env)
        for view in ("today", "calendar", "contacts", "partners", "planner", "reports"):
            target = ROOT / "docs" / "screenshots" / f"{view}.png"
            subprocess.run([app, "--workspace", str(demo), "--screenshot", str(target),
                            "--view", view], check=True, env=env)
    return 0


def main(argv: list[str]) -> int:
    """Dispatch ``run`` or ``test``."""
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if command == "--setup-only":  # used by packaging/build and bench/run
        ensure_venv()
        return 0
    if command not in ("run", "test", "screenshots"):
        print(__doc__)
        return 2
    ensure_venv()
    if command == "run":
        return subprocess.call([str(_bin("socialdesk")), *rest])
    if command == "screenshots":
        return screenshots()
    lint = subprocess.call([str(_bin("ruff")), "check", str(ROOT)], cwd=ROOT)
    types = subprocess.call([str(_bin("mypy"))], cwd=ROOT)  # what [tool.mypy] names
    tests = subprocess.call([str(_bin("python")), "-m", "pytest", *rest], cwd=ROOT)
    return tests or lint or types


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
