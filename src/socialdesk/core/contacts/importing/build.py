"""Turn the fields a reader found into a clean :class:`Contact` (shared by every reader)."""

from __future__ import annotations

from collections.abc import Iterable

from socialdesk.core.import_results import Problem
from socialdesk.store.models import Contact, Detail

# Groups every Google/Android contact is in; they say nothing about the contact.
SYSTEM_GROUPS = frozenset(("my contacts", "mycontacts", "starred in android"))
SKIPPED = "skipped: no name, e-mail address or organisation."
_MAX_NAME = 300


def clean(text: str) -> str:
    """Collapse runs of white space (line breaks included) into one space and strip."""
    return " ".join(text.split())


def clean_notes(text: str) -> str:
    """Normalise the line ends and trailing spaces of a multi-line note."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Strip Google's ``* `` marks, drop system groups and repeats (ignoring case)."""
    kept: dict[str, str] = {}
    for tag in tags:
        tag = clean(tag).removeprefix("* ").removeprefix("*").strip()
        if tag and tag.casefold() not in SYSTEM_GROUPS:
            kept.setdefault(tag.casefold(), tag[:100])
    return tuple(kept.values())


def make_contact(
    line: int,
    problems: list[Problem],
    *,
    name: str,
    organisation: str = "",
    notes: str = "",
    details: Iterable[Detail] = (),
    tags: Iterable[str] = (),
) -> Contact | None:
    """A contact (id 0), or None with a problem noted when it has nothing to be named by.

    The name falls back to the organisation, then to the first e-mail address. E-mail
    values without an ``@`` are left out (and noted); a detail repeated with the same
    label or none is dropped (one number as both "work" and "work fax" is kept twice).
    """
    kept: list[Detail] = []
    seen: set[tuple[str, str, str]] = set()
    for detail in details:
        value = clean(detail.value)
        if detail.kind == "email":
            value = value.removeprefix("mailto:").removeprefix("MAILTO:")
            if value and "@" not in value:
                message = f"{value[:60]!r} is not an e-mail address; left out."
                problems.append(Problem(line, message))
                continue
        label = clean(detail.label)[:60]
        bare = (detail.kind, value.casefold(), "")
        key = (detail.kind, value.casefold(), label.casefold())
        if value and key not in seen and (label or bare not in seen):
            seen |= {key, bare}
            kept.append(Detail(detail.kind, value, label))
    organisation = clean(organisation)
    name = clean(name) or organisation or next((d.value for d in kept if d.kind == "email"), "")
    if not name:
        problems.append(Problem(line, SKIPPED))
        return None
    return Contact(
        id=0,
        name=name[:_MAX_NAME],
        organisation=organisation[:_MAX_NAME],
        notes=clean_notes(notes),
        details=tuple(kept),
        tags=clean_tags(tags),
    )
