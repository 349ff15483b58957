"""The fake Mastodon and Bluesky servers, for every publishing test."""

from publish_fakes import bluesky_server, mastodon_server  # noqa: F401 - fixtures
