"""/r/<code>/: where a partner's link lands. It counts the landing for the campaign, hands the visit the
campaign's cookie and sends it on to the campaign's page in the visitor's language.

Nothing from the request is kept: not the referrer, not the address, and not the code as typed when it
names no campaign (that is one "unknown" count, whatever was typed)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from config.languages import preferred_language
from helpline.campaigns import counts, measures
from helpline.campaigns.visits import remember_campaign
from helpline.models import Campaign
from helpline.stats import tallies
from resources import localised

ALL_LANGUAGES = [code for code, _name in settings.LANGUAGES]


@require_safe
def landing(request: HttpRequest, code: str) -> HttpResponse:
    header = request.headers.get("Accept-Language", "")
    # A link checker's HEAD is answered the same way but counted as nothing.
    counting = request.method == "GET"
    campaign = Campaign.objects.filter(code=code).select_related("resource", "module").first()
    if campaign is None:
        if counting:
            counts.unknown_landing()
        return _redirect(_home(preferred_language(header, ALL_LANGUAGES) or settings.LANGUAGE_CODE))
    if not campaign.is_active_on(tallies.service_date(timezone.now())):
        if counting:
            counts.count(campaign, measures.EXPIRED_LANDINGS)
        return _redirect(_home(preferred_language(header, ALL_LANGUAGES) or settings.LANGUAGE_CODE))
    languages = campaign.language_codes()
    language = preferred_language(header, languages) or languages[0]
    response = _redirect(destination(campaign, language))
    if counting:
        counts.count(campaign, measures.LANDINGS)
        remember_campaign(response, campaign)
    return response


# Destinations that are one page in every language, by URL name.
NAMED_DESTINATIONS: dict[str, str] = {
    Campaign.Destination.LIBRARY: "resource-list",
    Campaign.Destination.CHAT: "chat",
    Campaign.Destination.SECURE_MESSAGES: "secure-home",
}


def destination(campaign: Campaign, language: str) -> str:
    """The campaign's chosen page under the language's prefix (the home page if its text is gone)."""
    chosen = str(campaign.destination)
    with translation.override(language):
        if chosen == Campaign.Destination.RESOURCE and campaign.resource is not None:
            return localised.url_in(localised.best_version(campaign.resource, language), language)
        if chosen == Campaign.Destination.MODULE and campaign.module is not None:
            return localised.url_in(localised.best_version(campaign.module, language), language)
        return reverse(NAMED_DESTINATIONS.get(chosen, "home"))


def _home(language: str) -> str:
    with translation.override(language):
        return reverse("home")


def _redirect(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    # Each landing must reach us to be counted, and the cookie must never sit in a shared cache.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
