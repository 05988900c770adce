"""Refusal: a request the service turns down, with plain words to show the person, and how a refusal
is answered to a page's script.

Raised by every room's actions (a chat, a secure message, a sign-in) before anything is changed, so a
view, socket or task can show the words and know that nothing happened."""

from django.http import HttpRequest, JsonResponse


class Refusal(Exception):
    """A request the service refuses, with words to show the person. Nothing was changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def wants_json(request: HttpRequest) -> bool:
    """The page's script asked (it sends Accept: application/json); a plain form post did not."""
    return "application/json" in request.headers.get("Accept", "")


def refusal_json(error: Refusal, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": {"code": error.code, "message": error.message}}, status=status)
