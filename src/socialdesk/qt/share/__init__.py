"""Sharing in the window: clicks brought back from analytics exports."""
