"""Staff pages speak the language each staff member chose for them (StaffProfile.interface_language).

Staff pages have no language prefix, so LocaleMiddleware (before this) has guessed from the browser;
for a signed-in member of staff their own choice wins, on /staff/ and on /admin/, the pages they work
in. Nothing is remembered in a cookie: the choice lives on their profile, so it follows them to any
computer they sign in on.

The profile read here is kept on the request (`profile_of_request`), so the staff guard that follows
on the same request does not read it again: every staff page and every pulse pays one read, as before
languages came."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from helpline.models import StaffProfile

STAFF_PATH_PREFIXES = ("/staff/", "/admin/")


# Set on the request only by this middleware; the value is the profile or None (no profile).
_PROFILE_ATTRIBUTE = "_staff_profile_read"


def profile_of_request(request: HttpRequest) -> StaffProfile | None:
    """The signed-in user's StaffProfile (with its user), read at most once per request."""
    if not hasattr(request, _PROFILE_ATTRIBUTE):
        profile = StaffProfile.objects.select_related("user").filter(user=request.user).first()  # type: ignore[misc]
        setattr(request, _PROFILE_ATTRIBUTE, profile)
    profile_read: StaffProfile | None = getattr(request, _PROFILE_ATTRIBUTE)
    return profile_read


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(STAFF_PATH_PREFIXES) and request.user.is_authenticated:
            profile = profile_of_request(request)
            if profile is not None and profile.interface_language:
                translation.activate(profile.interface_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
