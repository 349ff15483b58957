"""Publishing to Mastodon and Bluesky (DESIGN.md, "Publishing and measuring on open networks")."""
