"""What a person typed, made fit to store: one rule for chat messages and secure messages alike."""

from __future__ import annotations

import unicodedata

from helpline.errors import Refusal


def clean_typed_text(body: object, *, limit: int, empty: str, too_long_hint: str) -> str:
    """The text with Windows line ends folded and outer space trimmed, or a Refusal saying what to change.

    Control characters other than newline and tab are refused rather than dropped: the person sees why,
    and nothing they wrote is silently altered."""
    if not isinstance(body, str):
        raise Refusal("bad_message", "A message must be text.")
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise Refusal("empty_message", empty)
    if len(text) > limit:
        raise Refusal(
            "message_too_long",
            f"That message is {len(text)} characters long; the limit is {limit}. {too_long_hint}",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise Refusal(
            "bad_characters", "That message contains control characters we cannot show. Please retype it."
        )
    return text
