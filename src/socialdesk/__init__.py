"""SocialDesk: plan social media posts together with the partners who can spread them."""

import time
from importlib.metadata import PackageNotFoundError, version

# When the program started, for --quit-after-startup's startup time.
STARTED = time.perf_counter()

try:
    __version__ = version("socialdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"

APP_NAME = "SocialDesk"
APP_ID = "io.socialdesk.SocialDesk"
