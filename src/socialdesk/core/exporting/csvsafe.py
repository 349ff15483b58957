"""Protection of CSV cells against spreadsheet formula injection (OWASP "CSV injection")."""

from __future__ import annotations

# A spreadsheet treats a cell that starts with one of these as a formula (or, for tab
# and carriage return, may strip them and then see a formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """Return ``value`` as CSV cell text that no spreadsheet will run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    single quote in front; ``None`` becomes an empty cell; anything else is ``str()``-ed.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
