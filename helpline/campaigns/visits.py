"""A visit through a partner's link: the cookie that carries the campaign's code, and nothing else.

The cookie holds only the code (the same for everyone from that partner), has no expiry so it ends with
the browser session, and is read only to count the visit's steps for the campaign. No session row, no
per-visitor identifier and no referrer is ever stored."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from helpline.models import Campaign
from helpline.stats import tallies

_ON_REQUEST = "_helpline_campaign"


def campaign_of_visit(request: HttpRequest) -> Campaign | None:
    """The campaign this visit came through, if its cookie names one that is running today."""
    if hasattr(request, _ON_REQUEST):
        found: Campaign | None = getattr(request, _ON_REQUEST)
        return found
    code = request.COOKIES.get(settings.CAMPAIGN_COOKIE_NAME, "")
    found = None
    if code:
        today = tallies.service_date(timezone.now())
        found = Campaign.objects.active_on(today).filter(code=code[:16]).first()
    setattr(request, _ON_REQUEST, found)
    return found


def remember_campaign(response: HttpResponse, campaign: Campaign) -> None:
    """The cookie: the code only; no Max-Age or Expires, so the browser drops it when its session ends.
    SameSite=Lax, because the visit starts with a link from the partner's site."""
    response.set_cookie(
        settings.CAMPAIGN_COOKIE_NAME,
        campaign.code,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
