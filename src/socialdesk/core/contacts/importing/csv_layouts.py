"""Which CSV column means what, for every export layout and language we know.

Header names of Google, Outlook, LinkedIn and Thunderbird exports (Outlook in English,
German, French and Spanish) and common generic names.

Headers are compared after :func:`normalise` (case, accents, spaces and underscores do
not matter), so ``"Société "`` and ``"societe"`` are the same column. Every layout's names
live in one table: the names do not collide (Outlook's Spanish ``Nombre`` is a first
name, the generic ``Name`` a full name), and a file that mixes layouts still imports.
The layouts themselves are told apart by :data:`SIGNATURES`, for ``--format`` checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Fields a column can feed. Anything else (job title, address, birthday) is not stored.
NAME, FIRST, MIDDLE, LAST = "name", "first", "middle", "last"
ORG, NOTES, TAGS = "org", "notes", "tags"
EMAIL, PHONE, URL = "email", "phone", "url"
LAYOUT_NAMES = {
    "google": "Google Contacts",
    "outlook": "Outlook",
    "linkedin": "LinkedIn Connections",
    "thunderbird": "Thunderbird",
    "csv": "CSV",
}


@dataclass(frozen=True, slots=True)
class Column:
    """What one column holds: a field and, for e-mail/phone/web columns, a label."""

    field: str
    label: str = ""
    group: str = ""  # Google's numbered columns: "email 1" pairs a value with its type


def normalise(header: str) -> str:
    """Case-, accent- and spacing-insensitive form of a header name."""
    text = unicodedata.normalize("NFKD", header.strip().strip("\ufeff\"'").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("_", " ")
    return " ".join(text.split())


def _table(entries: Iterable[tuple[str, str, str]]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for names, field, label in entries:
        for name in names.split("|"):
            table[normalise(name)] = Column(field, label)
    return table


_COLUMNS = _table([
    # Names (full, then parts).
    ("name|full name|fullname|display name|displayname|contact name|anzeigename|"
     "nom complet|nombre completo|nome completo", NAME, ""),
    ("first name|firstname|first|given name|givenname|forename|vorname|prénom|nombre", FIRST, ""),
    ("middle name|middlename|additional name|weitere vornamen|zweiter vorname|"
     "deuxième prénom|segundo nombre", MIDDLE, ""),
    ("last name|lastname|last|surname|family name|familyname|nachname|nom|nom de famille|"
     "apellidos|apellido", LAST, ""),
    # Organisation, notes, tags.
    ("company|company name|organization|organisation|organization name|organisation name|"
     "org|firma|unternehmen|société|organización|compañía|empresa|employer", ORG, ""),
    ("notes|note|comments|comment|remarks|notizen|notiz|bemerkungen|notas|nota", NOTES, ""),
    ("tags|tag|labels|categories|category|groups|group|group membership|lists|kategorien|"
     "catégories|categorías", TAGS, ""),
    # E-mail addresses.
    ("email|e-mail|mail|email address|e-mail address|emailaddress|primary email|"
     "e-mail-adresse|e-mail adresse|adresse de messagerie|adresse e-mail|courriel|"
     "dirección de correo electrónico|correo electrónico|correo", EMAIL, ""),
    ("secondary email|e-mail 2 address|e-mail 3 address|email 2|email 3|"
     "e-mail 2: adresse|e-mail 3: adresse|adresse de messagerie 2|adresse de messagerie 3|"
     "dirección de correo electrónico 2|dirección de correo electrónico 3|email other|"
     "other email", EMAIL, "other"),
    ("email home|home email|personal email|home e-mail|personal e-mail|e-mail home",
     EMAIL, "home"),
    ("email work|work email|business email|work e-mail|business e-mail|e-mail work",
     EMAIL, "work"),
    # Web addresses.
    ("web page|website|web site|url|homepage|home page|webseite|page web|página web|"
     "sitio web|site web|web page 1|web page 2", URL, ""),
    ("personal web page|website home page", URL, "home"),
    ("website blog|blog", URL, "blog"),
    ("website work|business web page", URL, "work"),
    ("website profile|profile", URL, "profile"),
])

# Headers that look like phone or web columns but are not the contact's own.
_NOT_OURS = re.compile(r"assistant|yomi|\btype\b|\blabel\b|display name|angezeigter|manager")
_PHONE = re.compile(
    r"phone|\btel\b|telefon|telephone|telefono|mobile|mobil|movil|handy|\bcell\b|fax|"
    r"pager|portable|cellulaire"
)
_PHONE_LABELS = (
    (re.compile(r"mobile|mobil|movil|handy|cell|portable|cellulaire"), "mobile"),
    (re.compile(r"fax|telecopie"), "fax"),
    (re.compile(r"pager"), "pager"),
    (re.compile(r"business|work|geschaftlich|bureau|trabajo|company|firma"), "work"),
    (re.compile(r"home|privat|domicile|particular"), "home"),
    (re.compile(r"other|weitere|autre|otro"), "other"),
)
_URL = re.compile(r"web ?page|website|webseite|page web|pagina web|homepage|\burl\b")
# Google's numbered columns: "E-mail 1 - Value", "Phone 2 - Type", "Organization 1 - Name".
_NUMBERED = re.compile(
    r"^(e-?mail|phone|website|organi[sz]ation) (\d+) - (value|type|label|name)$"
)
_NUMBERED_FIELD = {"e-mail": EMAIL, "email": EMAIL, "phone": PHONE, "website": URL}

# Header names only one layout writes; a layout is recognised by at least ``minimum`` of them.
SIGNATURES: dict[str, tuple[frozenset[str], int]] = {
    "linkedin": (frozenset(normalise(n) for n in (
        "connected on", "url", "email address", "company", "position", "first name",
        "last name")), 5),
    "google": (frozenset(normalise(n) for n in (
        "given name", "family name", "group membership", "e-mail 1 - value", "phone 1 - value",
        "labels", "organization name", "organization 1 - name", "file as", "name prefix",
        "phonetic first name", "e-mail 1 - label", "e-mail 1 - type")), 2),
    "thunderbird": (frozenset(normalise(n) for n in (
        "primary email", "secondary email", "display name", "mobile number", "web page 1",
        "screen name", "work phone", "pager number", "fax number", "custom 1")), 3),
    "outlook": (frozenset(normalise(n) for n in (
        "e-mail address", "e-mail 2 address", "business phone", "mobile phone", "web page",
        "categories", "company", "job title", "e-mail display name", "home phone",
        "e-mail-adresse", "e-mail 2: adresse", "telefon geschäftlich", "mobiltelefon",
        "kategorien", "firma", "vorname", "nachname", "notizen",
        "adresse de messagerie", "société", "prénom", "téléphone bureau", "catégories",
        "dirección de correo electrónico", "apellidos", "organización", "compañía",
        "teléfono del trabajo", "teléfono móvil", "categorías")), 3),
}


def column_for(header: str) -> Column | None:
    """The column a header names, or None if SocialDesk has no place for its values."""
    key = normalise(header)
    if not key:
        return None
    numbered = _NUMBERED.match(key)
    if numbered:
        kind, number, part = numbered.groups()
        if kind.startswith("organi"):
            return Column(ORG) if part in ("value", "name") else None
        group = f"{_NUMBERED_FIELD[kind]} {number}"
        if part in ("type", "label"):
            return Column("label", group=group)
        return Column(_NUMBERED_FIELD[kind], group=group) if part == "value" else None
    column = _COLUMNS.get(key)
    if column is not None or _NOT_OURS.search(key):
        return column
    if _PHONE.search(key):
        label = next((label for pattern, label in _PHONE_LABELS if pattern.search(key)), "")
        return Column(PHONE, label)
    if _URL.search(key):
        return Column(URL)
    return None


def layout_scores(headers: Iterable[str]) -> dict[str, int]:
    """How many of each layout's own header names ``headers`` has."""
    keys = {normalise(h) for h in headers}
    return {name: len(keys & signs) for name, (signs, _) in SIGNATURES.items()}


def detect_layout(headers: Iterable[str]) -> str:
    """The export layout a header row comes from, or ``"csv"`` for a generic file."""
    scores = layout_scores(headers)
    for name in ("linkedin", "google", "thunderbird", "outlook"):
        if scores[name] >= SIGNATURES[name][1]:
            return name
    return "csv"


@lru_cache(maxsize=256)
def google_label(text: str) -> str:
    """``"* Home"`` (Google marks the primary value with ``*``) → ``"home"``."""
    return " ".join(text.replace("*", " ").split()).lower()
