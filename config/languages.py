"""Which language a page speaks, and the ways to another one.

Every page a seeker may be sent to lives once per language under its prefix (/nl/…, /ar/…): nothing
is remembered about the person, each language is cached on its own and partners can link straight to
theirs. The bare address / picks once from what the browser asks for (Accept-Language) and sends the
visitor on; from there on, the switch on every page (plain links, no JavaScript) goes to the same page
in another language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe


@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    """/ → /<language>/, chosen from Accept-Language alone (no cookie is read or set)."""
    language = translation.get_supported_language_variant(
        _language_from_header(request.headers.get("Accept-Language", ""))
    )
    response = HttpResponseRedirect(f"/{language}/")
    # Shared caches must keep one answer per Accept-Language; a browser may keep its own briefly.
    patch_vary_headers(response, ["Accept-Language"])
    patch_cache_control(response, private=True, max_age=300)
    return response


def _language_from_header(header: str) -> str:
    return preferred_language(header, [code for code, _name in settings.LANGUAGES]) or settings.LANGUAGE_CODE


def preferred_language(header: str, among: list[str]) -> str | None:
    """The first language the browser asks for (Accept-Language) that is one of `among`, or None."""
    for accept_lang, _quality in parse_accept_lang_header(header):
        if accept_lang == "*":
            break
        try:
            language = translation.get_supported_language_variant(accept_lang)
        except LookupError:
            continue
        if language in among:
            return language
    return None


def language_links(request: HttpRequest) -> list[dict[str, object]]:
    """The same page in each other language, for the switch: [] where the page has no language prefix
    (a chat under way speaks the chat's language; staff choose theirs on their own pages)."""
    match = request.resolver_match
    current = translation.get_language()
    if match is None or not request.path_info.startswith(f"/{current}/"):
        return []
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path_info, code)
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def languages(request: HttpRequest) -> dict[str, object]:
    """Context for every template: the language switch, and what <html lang dir> say."""
    return {
        "language_links": language_links(request),
        "LANGUAGE_DIRECTION": "rtl" if translation.get_language_bidi() else "ltr",
    }
