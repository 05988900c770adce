"""Staff pages speak the language each staff member chose for them (StaffProfile.interface_language).

Staff pages have no language prefix, so LocaleMiddleware (before this) has guessed from the browser;
for a signed-in member of staff their own choice wins, on /staff/ and on /admin/, the pages they work
in. Nothing is remembered in a cookie: the choice lives on their profile, so it follows them to any
computer they sign in on."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from helpline.models import StaffProfile

STAFF_PATH_PREFIXES = ("/staff/", "/admin/")


def interface_language_of(user_id: int | str) -> str | None:
    """The language a staff member chose for their pages; None for an account without a profile."""
    language: str | None = (
        StaffProfile.objects.filter(user_id=user_id).values_list("interface_language", flat=True).first()
    )
    return language


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(STAFF_PATH_PREFIXES) and request.user.is_authenticated:
            language = interface_language_of(request.user.pk)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
