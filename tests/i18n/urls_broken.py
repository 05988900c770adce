"""URLs used only by tests: a page under a language prefix that fails, so its 500 page speaks it."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as config_urls
from config.urls import handler404, handler500


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for a test")


urlpatterns = [
    *config_urls.urlpatterns,
    *i18n_patterns(path("test-broken/", broken)),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
