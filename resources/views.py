from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from resources.caching import cache_public_page


@require_safe
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_safe
@cache_public_page
def browse_safely(request: HttpRequest) -> HttpResponse:
    return render(request, "browse_safely.html")


@require_safe
@cache_public_page
def resource_list(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")
