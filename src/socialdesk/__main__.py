"""Allow ``python -m socialdesk``."""

import sys

from socialdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
