"""URLs used only by tests: a view that fails, to check what a 500 reveals."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as config_urls
from config.urls import handler404, handler500


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for a test")


def echo_meta(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "\n".join(f"{k}={v}" for k, v in sorted(request.META.items())), content_type="text/plain"
    )


urlpatterns = [
    path("test-broken/", broken),
    path("test-echo-meta/", echo_meta),
    *config_urls.urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
