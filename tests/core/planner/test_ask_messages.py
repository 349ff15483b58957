"""Ask message templates: the post's text, the tracked link, the date and the sender."""

from __future__ import annotations

from datetime import date

from socialdesk.core.planner import ask_messages as am

CONTEXT = am.AskContext(
    "Corner Café", "Sourdough Saturday",
    "https://bakery.example/sd?utm_source=corner-cafe&utm_medium=partner", date(2026, 3, 14),
    "x", post_text="Fresh loaves at 8!", sender_name="Ana Ruiz", sender_business="Ruiz Bakery")


def test_templates_fill_in_the_post_text_link_date_and_sender() -> None:
    template = ("{name}: {post_text} {link} on {date}\n{sender_name} of {sender_business}")
    assert am.render(template, CONTEXT) == (
        "Corner Café: Fresh loaves at 8! https://bakery.example/sd?utm_source=corner-cafe"
        "&utm_medium=partner on Saturday 14 March\nAna Ruiz of Ruiz Bakery")
    assert {"post_text", "sender_name", "sender_business"} <= set(am.PLACEHOLDERS)
    assert am.unknown_placeholders(template) == []


def test_unknown_braces_are_left_as_typed() -> None:
    template = "Hi {name} {Name} {sender} {post text} {} {{link}} {oops}"
    assert am.render(template, CONTEXT) == (
        "Hi Corner Café {Name} {sender} {post text} {} {https://bakery.example/sd?utm_source="
        "corner-cafe&utm_medium=partner} {oops}")
    assert am.unknown_placeholders(template) == ["Name", "sender", "oops"]


def test_built_in_messages_are_signed_with_the_senders_name_and_business() -> None:
    for kind in am.DEFAULT_TEMPLATES:
        text = am.ask_message(kind, CONTEXT)
        assert text.endswith("\nAna Ruiz\nRuiz Bakery"), kind
        assert "{" not in text and CONTEXT.link in text


def test_lines_with_nothing_to_fill_in_are_left_out() -> None:
    bare = am.AskContext("Café", "Bread", sender_name="Ana Ruiz")
    text = am.ask_message("press", bare)
    assert text.endswith("Best regards,\nAna Ruiz")
    assert "{" not in text
    template = "Hi {name}\nText: {post_text}\nFrom {sender_business}\nBye"
    assert am.render(template, bare) == "Hi Café\nBye"


def test_the_kit_follows_the_message_once() -> None:
    kit = "Ready to share: “Bread”\nLink: https://x.example"
    message = am.with_kit("Hi Café,\n\nThanks\n", kit)
    assert message == f"Hi Café,\n\nThanks\n\n{kit}"
    assert am.with_kit(message, kit) == message
    assert am.with_kit("Hi", "") == "Hi"
    assert am.with_kit("  ", kit) == kit  # an ask recorded without a message
