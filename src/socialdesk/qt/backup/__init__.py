"""Data safety in the window: the lock, backups, restores and the integrity check."""
