"""Refusal: a request the service turns down, with plain words to show the person.

Raised by every room's actions (a chat, a secure message, a sign-in) before anything is changed, so a
view, socket or task can show the words and know that nothing happened."""


class Refusal(Exception):
    """A request the service refuses, with words to show the person. Nothing was changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
