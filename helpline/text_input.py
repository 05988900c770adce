"""What a person typed, made fit to use: one rule for chat messages and secure messages alike, and one
for a number from a form or an address."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext

from helpline.errors import Refusal


def clean_typed_text(body: object, *, limit: int, empty: str, too_long_hint: str) -> str:
    """The text with Windows line ends folded and outer space trimmed, or a Refusal saying what to change.

    Control characters other than newline and tab are refused rather than dropped: the person sees why,
    and nothing they wrote is silently altered."""
    if not isinstance(body, str):
        raise Refusal("bad_message", gettext("A message must be text."))
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise Refusal("empty_message", empty)
    if len(text) > limit:
        raise Refusal(
            "message_too_long",
            gettext("That message is %(length)s characters long; the limit is %(limit)s. %(hint)s")
            % {"length": len(text), "limit": limit, "hint": too_long_hint},
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise Refusal(
            "bad_characters",
            gettext("That message contains control characters we cannot show. Please retype it."),
        )
    return text


# Ids and message numbers are 64-bit in the database; a longer number is none of ours.
LARGEST_NUMBER = 2**63 - 1


def whole_number(value: str) -> int | None:
    """A number from a form or an address, or None if it is not one. ASCII digits only: str.isdigit()
    also accepts "²", which int() then refuses (that was a 500), and int() reads other scripts' digits,
    which no page of ours sends."""
    if not (value.isascii() and value.isdecimal()) or len(value) > len(str(LARGEST_NUMBER)):
        return None
    number = int(value)
    return number if number <= LARGEST_NUMBER else None
