"""Which version of a text a page in one language shows.

A text (a resource or a guided module) may exist in several languages: its original, and versions
that name it as their `translation_of`. A page in a language shows each text in that language where
there is a version; otherwise in English, or else in its original language (the fallback), and the
page marks that content with its own lang (and dir) so that screen readers read it in the right voice
and the reader is told why it is not in their language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from resources.models import Category, Publishable

FALLBACK_LANGUAGE = settings.LANGUAGE_CODE

Item = TypeVar("Item", bound=Publishable)


def language_name(code: str) -> str:
    """A language's name in that language (as the switch writes it): "Nederlands", "العربية"."""
    return str(dict(settings.LANGUAGES).get(code, code))


def direction(code: str) -> str:
    return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


def _rank(item: Publishable, language: str) -> int:
    """Lower is better for a page in `language`: its own language, then English, then the original."""
    if item.language == language:
        return 0
    if item.language == FALLBACK_LANGUAGE:
        return 1
    if item.translation_of_id is None:
        return 2
    return 3


def choose(items: Iterable[Item], language: str) -> list[Item]:
    """One version of each text, the best for a page in `language`, in the order the items came."""
    items = list(items)
    best: dict[Any, Item] = {}
    for item in items:
        group = item.original_id
        if group not in best or _rank(item, language) < _rank(best[group], language):
            best[group] = item
    chosen = {id(item) for item in best.values()}
    return [item for item in items if id(item) in chosen]


def for_results(items: list[Item], language: str) -> list[Item]:
    """Search results for a page in `language`: each matching text once, in the page's language if
    it has a version there (matched or not), else its fallback; the page's language first."""
    if not items:
        return items
    model = type(items[0])
    groups = {item.original_id for item in items}
    # Texts with a public version in the page's language, matched or not: only that version may show.
    in_language = (
        model.objects.published()
        .filter(language=language)
        .filter(Q(translation_of__in=groups) | Q(pk__in=groups))
        .values_list("translation_of", "pk")
    )
    has_own = {original or pk for original, pk in in_language}
    own = [item for item in items if item.language == language]
    seen = {item.original_id for item in own}
    others = []
    for item in choose([item for item in items if item.language != language], language):
        if item.original_id not in has_own and item.original_id not in seen:
            others.append(item)
    return own + others


def best_version(item: Item, language: str) -> Item:
    """The version of this (published) text a page in `language` should show."""
    if item.language == language:
        return item
    versions = item.published_versions()
    return choose(versions, language)[0] if versions else item  # type: ignore[return-value]


def url_in(item: Publishable, language: str) -> str:
    """The item's page under another language's prefix."""
    with translation.override(language):
        return item.get_absolute_url()


def version_links(item: Publishable, versions: list[Publishable]) -> list[dict[str, str]]:
    """Links to this text in its other languages, each under its own language's prefix."""
    return [
        {
            "code": version.language,
            "name": language_name(version.language),
            "url": url_in(version, version.language),
        }
        for version in versions
        if version.pk != item.pk
    ]


def name_categories(categories: Iterable[Category], language: str) -> list[Category]:
    from resources.models import CategoryName

    names = CategoryName.lookup(language)
    return [category.in_language(language, names) for category in categories]


def annotate(items: Iterable[Item], language: str) -> list[Item]:
    """Marks each item with what a card needs to say it is shown in another language."""
    result = list(items)
    for item in result:
        item.is_fallback = item.language != language  # type: ignore[attr-defined]
        item.direction = direction(item.language)  # type: ignore[attr-defined]
    return result


def fallback_languages(items: Iterable[Publishable], language: str) -> list[str]:
    """The other languages these items are shown in, in settings order."""
    present = {item.language for item in items if item.language != language}
    return [code for code, _name in settings.LANGUAGES if code in present]


def reverse_in(name: str, language: str, *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)
