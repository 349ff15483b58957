"""A detail's label and the vCard ``TYPE`` values it stands for, both ways.

A label made only of type words ("mobile", "home fax", "work, preferred") is written
as standard ``TYPE`` values that every address book reads (``TEL;TYPE=home,fax``);
any other label ("LinkedIn", "Zoom room") is custom and goes out as Apple's and
Google's grouped ``itemN.X-ABLabel``, as typed. Reading a card, the ``TYPE`` values,
a ``PREF`` and an ``X-ABLabel`` (Apple's ``_$!<Mobile>!$_`` included) become one
label of those words again: places first, then kinds, then ", preferred".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

PREFERRED = "preferred"
_PLACES = {"home": "home", "work": "work"}
# Label word → TYPE value, per detail kind, in the order a label lists them. Phones
# have vCard 4.0's kinds and 3.0's older ones; web addresses have the kinds the contact
# form offers (Google's web address kinds) and every kind the form's "other", which
# RFC 6350 and 2426 allow as type tokens: a program that knows no groups still reads
# the value.
_KINDS = {
    "email": {"other": "other"},
    "phone": {"mobile": "cell", "cell": "cell", "fax": "fax", "pager": "pager",
              "voice": "voice", "text": "text", "video": "video", "textphone": "textphone",
              "msg": "msg", "car": "car", "isdn": "isdn", "modem": "modem", "bbs": "bbs",
              "pcs": "pcs", "other": "other"},
    "url": {"website": "website", "homepage": "website", "blog": "blog",
            "profile": "profile", "other": "other"},
}
# What a TYPE value reads as (the contact form's words).
_READ = {"cell": "mobile", "homepage": "website"}
# TYPE values that say nothing a label should: every e-mail is internet, every phone a
# voice line unless said otherwise; ``uri`` and address kinds come from old writers.
_DULL = frozenset(("internet", "x400", "voice", "uri", "dom", "intl", "postal", "parcel"))
_PHRASES = {"home page": "homepage", "web site": "website", "cell phone": "mobile"}
# Apple's built-in labels, ``_$!<HomeFAX>!$_`` and the like.
_APPLE = re.compile(r"_\$!<(.*)>!\$_")
_APPLE_WORDS = {"homefax": "home fax", "workfax": "work fax", "homepage": "website",
                "iphone": "mobile"}
_WORD_SPLIT = re.compile(r"[\s,;/]+")
_PREFERRED_END = re.compile(r"(?:^|[\s,;(]+)pref(?:erred)?\)?$", re.IGNORECASE)


def _words(kind: str, text: str) -> list[str] | None:
    """The label's type words in order, or None when one of them is not a type word."""
    text = text.lower()
    for phrase, word in _PHRASES.items():
        text = text.replace(phrase, word)
    words = [w for w in _WORD_SPLIT.split(text) if w]
    known = _KINDS.get(kind, {})
    if all(w in _PLACES or w in known for w in words):
        return words
    return None


@lru_cache(maxsize=4096)
def vcard_types(kind: str, label: str) -> tuple[tuple[str, ...], str, bool]:
    """(TYPE values, custom label, preferred) for a detail of ``kind`` with ``label``.

    The TYPE values are lower case, without ``pref``; the custom label is "" when the
    label is made of type words only.
    """
    text = " ".join(label.split())
    preferred = bool(_PREFERRED_END.search(text))
    if preferred:
        text = _PREFERRED_END.sub("", text).strip(" ,;")
    words = _words(kind, text)
    if words is None:
        return (), text, preferred
    known = {**_PLACES, **_KINDS.get(kind, {})}
    return tuple(dict.fromkeys(known[w] for w in words)), "", preferred


def _order(kind: str) -> dict[str, int]:
    words = [*_PLACES, *(_READ.get(v, v) for v in _KINDS.get(kind, {}).values())]
    return {word: index for index, word in enumerate(dict.fromkeys(words))}


def _type_word(kind: str, value: str) -> str:
    """A TYPE value as a label word: a known one in the contact form's spelling.

    Others are kept as written, in lower case when written all in capitals (as 2.1 and
    3.0 writers do).
    """
    lower = value.lower()
    known = _KINDS.get(kind, {})
    if lower in _PLACES or lower in known:
        mapped = known.get(lower, lower)
        return _READ.get(mapped, mapped)
    return lower if value.isupper() else value


def label_from_vcard(kind: str, types: Iterable[str], ab_label: str = "",
                     preferred: bool = False) -> str:
    """The label for a card's e-mail, phone or web address.

    ``types`` are its TYPE values (``pref`` among them marks it preferred, as does
    ``preferred``, from a 4.0 ``PREF=1``); ``ab_label`` its group's ``X-ABLabel``, which
    wins over the types unless it is a type word itself.
    """
    words: list[str] = []
    for value in types:
        value = value.strip()
        lower = value.lower()
        if lower == "pref":
            preferred = True
        elif value and lower not in _DULL and not lower.startswith("x-"):
            words.append(_type_word(kind, value))
    custom = ""
    ab_label = " ".join(ab_label.split())
    if ab_label:
        apple = _APPLE.fullmatch(ab_label)
        text = apple.group(1) if apple else ab_label
        if apple:
            text = _APPLE_WORDS.get(text.lower(), text.lower())
        found = _words(kind, text)
        if found is None:
            custom = text
        else:
            words += [_type_word(kind, word) for word in found]
    if custom:
        label = custom
    else:
        order = _order(kind)
        unique = list(dict.fromkeys(w for w in words if w))
        label = " ".join(sorted(unique, key=lambda w: order.get(w, len(order))))
    if preferred:
        return f"{label}, {PREFERRED}" if label else PREFERRED
    return label
