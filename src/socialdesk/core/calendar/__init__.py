"""The content calendar: iCalendar import and export, CSV export, repeats, media."""
