"""Team sharing in the window: Sync now, automatic sync, the status bar."""
