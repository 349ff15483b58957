r"""An organisation's units: the parts of a vCard ``ORG`` after the organisation's name.

``ORG:Acme Inc.;Sales;EMEA`` is the organisation "Acme Inc." and its units "Sales" and
"EMEA". A contact keeps the name as its ``organisation`` (what the app shows and the user
types) and the units as ``Contact.org_units``, the way the vCard writer puts them after
the name: each escaped as RFC 6350 says (``\\``, ``\,``, ``\;``), separated by ``;``
(``Sales;EMEA``), '' when there are none. The vCard reader keeps a card's units
(:func:`stored`) and the export writes them after the name, so the ORG that came in goes
out. A new organisation typed in the app drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

from socialdesk.core.contacts.names import escape_value

_MAX_STORED = 1000  # characters of the whole: longer units are not kept


def stored(units: Sequence[str]) -> str:
    """The stored form of an ORG's units (unescaped, as read); trailing empty ones dropped."""
    cells = [escape_value(unit) for unit in units]
    while cells and not cells[-1]:
        cells.pop()
    text = ";".join(cells)
    return "" if len(text) > _MAX_STORED else text

