"""Bench-only URLconf: the real site plus one constant view, the baseline of P4.

Used only when bench.settings sees BENCH_BARE_VIEW=1; config.urls (production) never includes it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as site_urls
from config.urls import handler404, handler500  # noqa: F401 (the same error pages as the site)


def bare(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the same middleware, no template, no database, no cache."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    # The site's own patterns, not include()d: Django refuses i18n_patterns inside an include.
    *site_urls.urlpatterns,
]
