"""Team sharing: the workspace synced with a CalDAV/CardDAV server (see docs/sync.md)."""
