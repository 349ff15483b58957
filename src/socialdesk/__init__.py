"""SocialDesk: plan social media posts together with the partners who can spread them."""

import time

# When the program started, for --quit-after-startup's startup time.
STARTED = time.perf_counter()

# Kept equal to pyproject.toml's version by a test; not read through importlib.metadata,
# which costs 35 ms of every start.
__version__ = "0.1.0"

APP_NAME = "SocialDesk"
APP_ID = "io.socialdesk.SocialDesk"
