"""Publishing to Mastodon and Bluesky in the window: accounts, Publish now, due posts."""
