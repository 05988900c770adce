"""Counts a self-help page or module read during a visit that came through a partner's link.

It sits outside the views' own cache (resources.caching), so a page served from it counts too, and
resources.page_cache lets requests with the campaign cookie through to Django for the same reason.
Requests without the cookie cost one dictionary lookup."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from helpline.campaigns import counts, measures
from helpline.campaigns.visits import campaign_of_visit

COUNTED_PAGES = {"resource-detail": measures.PAGES, "module-detail": measures.MODULES}


class CampaignVisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cookie = settings.CAMPAIGN_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.cookie not in request.COOKIES or request.method != "GET" or response.status_code != 200:
            return response
        match = request.resolver_match
        measure = COUNTED_PAGES.get(match.url_name or "") if match is not None else None
        if measure is not None:
            counts.count(campaign_of_visit(request), measure)
        return response
