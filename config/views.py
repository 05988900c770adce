"""Site-wide error pages: calm, self-contained, and never echoing the request."""

import math
from html import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_ratelimit.core import get_usage

from config.privacy import rate_limit_key

# Views limited by django-ratelimit's decorator, by the decorator's group (the view's dotted path), with
# the RATE_LIMITS entry each uses: the pause page asks the same counter how long its window has left.
DECORATED_LIMITS = {"resources.views.search": "search"}


def wait_words(seconds: int) -> str:
    """How long a pause lasts, rounded up so that it is never shorter than said: "3 minutes", in the
    active language (it is put into sentences such as "Please try again in %(wait)s.")."""
    if seconds < 60:
        return gettext("less than a minute")
    minutes = math.ceil(seconds / 60)
    if minutes == 60:
        return ngettext("%(count)s hour", "%(count)s hours", 1) % {"count": 1}
    if minutes < 90:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def _decorated_time_left(request: HttpRequest) -> int | None:
    match = request.resolver_match
    if match is None:
        return None
    group = f"{match.func.__module__}.{match.func.__qualname__}"
    rate_name = DECORATED_LIMITS.get(group)
    if rate_name is None:
        return None
    usage = get_usage(request, group=group, key=rate_limit_key, rate=settings.RATE_LIMITS[rate_name])
    return max(1, usage["time_left"]) if usage else None


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The pause page: why (in words that do not blame a person who shares an address), for how long
    when an honest time exists, and what can be done now instead."""
    reason = getattr(exception, "reason", "")
    retry_after = getattr(exception, "retry_after", None) if reason else _decorated_time_left(request)
    context = {
        "reason": reason,
        "wait": wait_words(retry_after) if retry_after else "",
        "short_wait": retry_after is not None and retry_after < 120,
        "secure_reply_days": settings.HELPLINE["SECURE_REPLY_TARGET_WORKING_DAYS"],
    }
    response = render(request, "errors/429.html", context, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def _error_language(request: HttpRequest) -> str:
    """The language of the page that failed: its prefix (/nl/…), else the one already active (a chat under
    way speaks its chat's), else the default."""
    supported = dict(settings.LANGUAGES)
    for code in (translation.get_language_from_path(request.path_info), translation.get_language()):
        if code and code in supported:
            return code
    return settings.LANGUAGE_CODE


# The last resort when even the self-contained page cannot be drawn: plain English, the quick exit kept.
SERVER_ERROR_FALLBACK = """<!doctype html>
<html lang="en" dir="ltr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><meta name="robots" content="noindex">
<title>Something went wrong</title>
<link rel="stylesheet" href="/static/css/site.css"><script src="/static/js/quick-exit.js"></script></head>
<body><nav class="quick-exit" aria-label="Quick exit" data-quick-exit>
<a class="quick-exit__link" href="{quick_exit}" rel="noreferrer noopener" data-quick-exit-link>Quick exit</a>
</nav><main id="main"><h1>Something went wrong on our side</h1>
<p>This is our fault, not yours. Please try again in a moment.
Nothing that could identify you has been recorded.</p>
</main></body></html>
"""


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again; the template is self-contained, and carries the
    # quick exit like every other page a seeker may see, in the language of the page that failed.
    from django.template import loader
    from django.urls import reverse

    try:
        language = _error_language(request)
        with translation.override(language):
            context = {
                "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
                "SERVICE_NAME": settings.SERVICE_NAME,
                "LANGUAGE_CODE": language,
                "LANGUAGE_DIRECTION": "rtl" if translation.get_language_bidi() else "ltr",
                "home_url": f"/{language}/",
                "browse_safely_url": reverse("browse-safely"),
            }
            html = loader.get_template("errors/500.html").render(context)
    except Exception:  # whatever broke the page must not also break its apology
        html = SERVER_ERROR_FALLBACK.format(quick_exit=escape(settings.QUICK_EXIT_URL))
    return HttpResponse(html, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request the site could not read: a form in a character set other than UTF-8, a broken upload.
    Django's own 400 view checks the CSRF token first, which reads the body again and fails again (a
    500); this one never touches request.POST or the body, and draws the site's calm page.

    Logged here, in one line without a traceback or anything from the request: the fault is the
    client's, and Django, seeing the response logged, does not log it again with the traceback."""
    import logging

    from django.core.exceptions import SuspiciousOperation

    name = type(exception).__name__ if exception is not None else "BadRequest"
    channel = f"django.security.{name}" if isinstance(exception, SuspiciousOperation) else "django.request"
    logging.getLogger(channel).warning("Bad request (%s): answered with the 400 page", name)
    response = render(request, "errors/400.html", status=400)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's flag (django.utils.log)
    return response
