"""Entry point of the frozen SocialDesk (PyInstaller runs this file)."""

import sys

from socialdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
