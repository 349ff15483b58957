"""Contacts: import (vCard, CSV), duplicates, export (vCard, CSV)."""
