"""The short reference staff read and say for a chat or a secure-message thread ("Chat 3f9a1c").

Six hex digits of the record's random public id: enough to tell a person's few chats apart on screen,
and, like the id itself, it says nothing about the seeker. One place, so every page and script agrees."""

from uuid import UUID

REF_LENGTH = 6


def short_ref(public_id: UUID) -> str:
    return public_id.hex[:REF_LENGTH]
