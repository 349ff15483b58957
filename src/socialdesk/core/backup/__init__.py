"""Backups: making, checking, listing, rotating and restoring them."""
