"""The Calendar view: month, week and agenda, the post editor, campaigns."""
