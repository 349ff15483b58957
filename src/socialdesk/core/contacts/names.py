r"""A contact's structured name: the five parts of a vCard ``N``, kept and worked out.

A contact stores ``N`` as SocialDesk writes it (``Contact.structured_name``): family;
given; additional; prefixes; suffixes, several values of one part separated by commas,
each value escaped as RFC 6350 says (``\\``, ``\,``, ``\;``). The vCard reader keeps a
card's ``N`` (:func:`from_vcard`); a contact without one gets :func:`derived` from its
display name when it is exported, and an organisation (its name is its organisation) gets
none: it is written as an organisation instead (:func:`is_organisation`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from socialdesk.store.models import Contact

PARTS = 5  # family, given, additional, prefixes, suffixes
EMPTY = ";" * (PARTS - 1)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PREFIXES = frozenset((
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
    "fr", "hon", "herr", "frau", "mme", "mlle", "m", "sr", "sra", "srta", "dott",
))
_SUFFIXES = frozenset((
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "dds", "jd", "obe", "mbe",
    "cbe", "kc", "qc",
))
_MAX = 300  # characters of one value
_MAX_STORED = 1000  # of the whole: a longer N is not kept (an export works one out)


def escape_value(value: str) -> str:
    """One value of a structured property (N, ORG): white space collapsed, then escaped."""
    value = " ".join(value.split())[:_MAX]
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _split_raw(text: str, separator: str) -> list[str]:
    """``text`` split on ``separator`` where it is not escaped; escapes are kept."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\,;:nN])", lambda m: " " if m[1] in "nN" else m[1], value)


def stored(parts: Sequence[Sequence[str]]) -> str:
    """The stored form of five parts, each a list of values ('' when every part is empty)."""
    cells = [",".join(e for value in part if (e := escape_value(value))) for part in parts]
    cells = (cells + [""] * PARTS)[:PARTS]
    text = ";".join(cells)
    return "" if text == EMPTY or len(text) > _MAX_STORED else text


def from_vcard(text: str) -> str:
    """A card's ``N`` value (decoded, escapes still in) in the stored form."""
    return stored([[_unescape(v) for v in _split_raw(cell, ",")]
                   for cell in _split_raw(text, ";")[:PARTS]])


def _bare(word: str) -> str:
    return word.strip(",").rstrip(".").casefold()


def derived(name: str) -> str:
    """Structured name worked out from a display name.

    ``Mr. John Richter James Doe Sr.`` → ``Doe;John;Richter James;Mr.;Sr.``; a
    single word is the family name (but an e-mail address standing for a name gives
    none); a CJK name is family name first and split only where it has a space.
    """
    words = name.split()
    if not words or (len(words) == 1 and "@" in name):  # no name: an e-mail address
        return ""
    if _CJK.search(name):
        return stored([[words[0]], [" ".join(words[1:])]])
    prefixes: list[str] = []
    suffixes: list[str] = []
    while len(words) > 1 and _bare(words[0]) in _PREFIXES:
        prefixes.append(words.pop(0))
    while len(words) > 1 and _bare(words[-1]) in _SUFFIXES:
        suffixes.insert(0, words.pop().strip(","))
    words[-1] = words[-1].rstrip(",")
    if len(words) == 1:
        return stored([words, [], [], [" ".join(prefixes)], [" ".join(suffixes)]])
    return stored([[words[-1]], [words[0]], [" ".join(words[1:-1])],
                   [" ".join(prefixes)], [" ".join(suffixes)]])


def is_organisation(contact: Contact) -> bool:
    """Whether ``contact`` stands for an organisation.

    It has no structured name, and its name is its organisation's.
    """
    return (not contact.structured_name and bool(contact.organisation)
            and contact.name.casefold() == contact.organisation.casefold())
