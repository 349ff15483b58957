"""The messages that ask a partner to share a post: templates per contact kind, mailto: links.

A template is plain text with placeholders in braces: ``{name}`` (the contact's name),
``{post_title}``, ``{post_text}`` (the post's text, its own link replaced by the tracked
one), ``{link}`` (the ask's tracked link: the post's link with the partner's utm_*),
``{date}`` (the post's day, "Saturday 14 March"), ``{limit}`` (the text limit of the
partner's main network, "280 characters on X"), ``{sender_name}`` and
``{sender_business}`` (who asks, from the settings). Anything else in braces is left as
typed, so a user's edit can never break a message. A line with a placeholder that has
nothing to fill in (``{link}`` for a post without a link, an empty post text or sender)
is left out. The share kit as plain text follows the message (:func:`with_kit`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from socialdesk.core.limits import limit_for, platform_name

PLACEHOLDERS = ("name", "post_title", "post_text", "link", "date", "limit", "sender_name",
                "sender_business")
# Placeholders that may be empty: a line with one of them empty is left out.
OPTIONAL = ("link", "post_text", "sender_name", "sender_business")
SIGNATURE = "{sender_name}\n{sender_business}"
KIT_MARK = "Ready to share:"  # how the plain-text kit begins (core.share.kit.kit_text)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

SUBJECT = "Would you share “{post_title}”?"

# One template per contact kind; "other" serves any kind without its own.
DEFAULT_TEMPLATES: dict[str, str] = {
    "partner": (
        "Hi {name},\n\n"
        "We have a post coming up on {date}: “{post_title}”. I think your followers would "
        "like it too — would you share it? Happy to return the favour for your next news.\n"
        "Here it is: {link}\n"
        "If you'd rather write your own, it needs to fit {limit}.\n\n"
        "Thank you!\n" + SIGNATURE
    ),
    "blogger": (
        "Hi {name},\n\n"
        "On {date} we're posting “{post_title}”, and it made me think of your readers. "
        "Would you mention or share it?\n"
        "The post: {link}\n"
        "A mention needs to fit {limit}; I can send photos or a short quote if that helps.\n\n"
        "Thanks for considering it!\n" + SIGNATURE
    ),
    "community": (
        "Hello {name},\n\n"
        "We'd love your members to hear about “{post_title}” ({date}). Could you pass it on "
        "in your group or newsletter?\n"
        "Details: {link}\n\n"
        "Many thanks!\n" + SIGNATURE
    ),
    "press": (
        "Dear {name},\n\n"
        "On {date} we're announcing “{post_title}”. If it's of interest to your readers, "
        "we'd be glad if you shared it, and happy to answer questions.\n"
        "More: {link}\n\n"
        "Best regards,\n" + SIGNATURE
    ),
    "fan": (
        "Hi {name}!\n\n"
        "Thank you for always cheering us on. On {date} we're posting “{post_title}” — "
        "would you share it with your friends?\n"
        "{link}\n\n"
        "It means a lot!\n" + SIGNATURE
    ),
    "customer": (
        "Hi {name},\n\n"
        "On {date} we're posting “{post_title}”. If you enjoy it, would you share it?\n"
        "{link}\n\n"
        "Thank you!\n" + SIGNATURE
    ),
    "staff": (
        "Hi {name},\n\n"
        "“{post_title}” goes out on {date}. Could you share it from your own account?\n"
        "{link}\n\n"
        "Thanks!\n" + SIGNATURE
    ),
    "other": (
        "Hi {name},\n\n"
        "On {date} we're posting “{post_title}”. Would you share it?\n"
        "{link}\n\n"
        "Thank you!\n" + SIGNATURE
    ),
}


@dataclass(frozen=True, slots=True)
class AskContext:
    """What a message says: who is asked, about which post, on which network."""

    name: str
    post_title: str
    link: str = ""
    day: date | None = None
    platform: str | None = None  # the partner's main network, for {limit}
    post_text: str = ""
    sender_name: str = ""
    sender_business: str = ""


def limit_text(platform: str | None) -> str:
    """``"280 characters on X"``, or ``"a short post"`` when the network has no limit."""
    if not platform:
        return "a short post"
    limit = limit_for(platform)
    name = platform_name(platform)
    return f"{limit:,} characters on {name}" if limit else f"a short post on {name}"


def date_text(day: date | None) -> str:
    """``"Saturday 14 March"``, or ``"soon"`` for a post without a date."""
    return f"{day:%A} {day.day} {day:%B}" if day else "soon"


def render(template: str, context: AskContext) -> str:
    """The template with its placeholders filled in (unknown ones left as typed)."""
    values = {
        "name": context.name.strip(),
        "post_title": context.post_title.strip(),
        "post_text": context.post_text.strip(),
        "link": context.link.strip(),
        "date": date_text(context.day),
        "limit": limit_text(context.platform),
        "sender_name": context.sender_name.strip(),
        "sender_business": context.sender_business.strip(),
    }
    empty = [f"{{{key}}}" for key in OPTIONAL if not values[key]]
    lines = [line for line in template.splitlines()
             if not any(placeholder in line for placeholder in empty)]
    text = "\n".join(lines)
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def unknown_placeholders(template: str) -> list[str]:
    """Placeholders in a template that will not be filled in (to warn the editor)."""
    found = dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(template))
    return [name for name in found if name not in PLACEHOLDERS]


def template_for(kind: str, overrides: Mapping[str, str] | None = None) -> str:
    """The template for a contact kind: the user's own if set, else the built-in one."""
    overrides = overrides or {}
    for key in (kind, "other"):
        if overrides.get(key):
            return overrides[key]
        if key in DEFAULT_TEMPLATES:
            return DEFAULT_TEMPLATES[key]
    return DEFAULT_TEMPLATES["other"]


def ask_message(kind: str, context: AskContext,
                overrides: Mapping[str, str] | None = None) -> str:
    """The filled-in message for a contact of ``kind``."""
    return render(template_for(kind, overrides), context)


def with_kit(message: str, kit: str) -> str:
    """The message followed by the plain-text share kit (unless it holds a kit already)."""
    if not kit or KIT_MARK in message:
        return message
    if not message.strip():
        return kit
    return f"{message.rstrip()}\n\n{kit}"


def ask_subject(context: AskContext) -> str:
    """The e-mail subject for an ask."""
    return render(SUBJECT, context)


def mailto_url(to: str | list[str], subject: str, body: str) -> str:
    """A ``mailto:`` URL (RFC 6068) that opens the user's mail program with the message."""
    addresses = [to] if isinstance(to, str) else list(to)
    recipients = ",".join(quote(a.strip(), safe="@+") for a in addresses if a.strip())
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{recipients}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
