"""Protection of CSV cells against spreadsheet formula injection (OWASP "CSV injection").

A spreadsheet runs a cell as a formula when its first visible character is ``=``, ``+``,
``-`` or ``@``, or a full-width or small form of one (``＝＋－＠``, ``﹦﹢﹣﹫``), whatever
comes before it that cannot be seen: spaces, tabs, line breaks, no-break and zero-width
spaces, a byte-order mark. Such a cell gets a ``'`` in front, which spreadsheets read as
"this is text" and do not show.

Left alone, because there is nothing in them a spreadsheet could run (no function, cell
reference or link), are values that are plainly a phone number (``+44 7700 900693``,
``+1 (555) 010-9999``) or a number (``-12.5``, ``-1,000``): address books that import
the contacts CSV would keep the ``'``. Dates (``2026-12-04``) start with a digit and are
never touched.

:func:`restore_cell` undoes :func:`neutralise_cell` exactly (SocialDesk's CSV import uses
it): a neutralised value comes back as typed, any other value unchanged. To keep that
true, a value that itself starts with ``'`` before a formula character is neutralised
even when it is a phone number.

A file read by a program rather than a spreadsheet may keep some starts as written
(``allow``): Hootsuite's bulk uploader publishes a message cell as it is, so a message
that starts with a mention (``@partner``) or a ``+`` must not get a ``'`` there.
"""

from __future__ import annotations

import csv
import re
import unicodedata

# Characters in one cell of any CSV SocialDesk reads; a larger cell fails the file with
# its line. The csv module's limit is process-wide, so it is set here, in one place: two
# importers setting their own would each get whichever was imported last.
FIELD_LIMIT = 1 << 24
csv.field_size_limit(FIELD_LIMIT)

_FORMULA = frozenset("=+-@")
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format marks, spaces
# A phone number: a plus, digits and the usual separators.
_PHONE = re.compile(r"\+[\s(]*\d[\d\s().\-/]*")
# A signed number: -12.5, +3, -1,000.50, -1.5e3, -20 %.
_NUMBER = re.compile(r"[+-]\s*(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?\s*%?")


def _formula_at(text: str) -> int:
    """Where the formula character a spreadsheet would see in ``text`` is (-1: none)."""
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char) in _INVISIBLE:
            continue
        return index if _formula_char(char) in _FORMULA else -1
    return -1


def _formula_char(char: str) -> str:
    """``char`` as a spreadsheet reads it at the start of a cell (``＠`` is ``@``)."""
    return char if char.isascii() else unicodedata.normalize("NFKC", char)


def _needs_quote(text: str, allow: frozenset[str]) -> bool:
    if not text or text[0].isalnum():  # most cells: nothing to look at
        return False
    rest = text.lstrip("'")
    start = _formula_at(rest)
    if start < 0 or _formula_char(rest[start]) in allow:
        return False
    if text[:1] == "'":  # a quote already there: the importer would take it off
        return True
    value = rest[start:].rstrip()
    return not (value[0] in "+-" and (_PHONE.fullmatch(value) or _NUMBER.fullmatch(value)))


def neutralise_cell(value: object, allow: frozenset[str] = frozenset()) -> str:
    """Return ``value`` as CSV cell text that no spreadsheet will run as a formula.

    See the module docstring for what gets a ``'`` in front; ``None`` becomes an empty
    cell and anything else is ``str()``-ed. A value whose first visible character is in
    ``allow`` (of ``=+-@``) is written as it is.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if _needs_quote(text, allow) else text


def restore_cell(cell: str) -> str:
    """The value :func:`neutralise_cell` made ``cell`` from (its ``'`` taken off)."""
    if cell[:1] == "'" and _formula_at(cell[1:].lstrip("'")) >= 0:
        return cell[1:]
    return cell
