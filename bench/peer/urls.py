"""One HTTP view, so the benchmark can tell when the peer's uvicorn answers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def ready(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", ready)]
