"""Public pages of the self-help library, and staff preview of what is not public yet.

Public pages are the same for everyone: they read only published content, set no cookies and are
cached. Each page shows the library in its URL's language, falling back to English where a text
has no version in that language (resources.localised), and says so. Anything not published (a
draft, something in review, unpublished, or scheduled for later) is a 404,
exactly like a page that never existed, so nobody can learn that it is there.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from config import privacy
from resources import actions, localised
from resources.caching import cache_public_page
from resources.markup import localise_links
from resources.models import Category, Exercise, GuidedModule, ModuleStep, Publishable, Resource
from resources.search import search_library
from resources.search_plan import MAX_QUERY_LENGTH

FEATURED_ON_HOME = 4


def _published_resources() -> Any:
    return Resource.objects.published().select_related("category")


def _resource_cards() -> Any:
    """Published resources for lists: everything a card shows, not the articles themselves."""
    return _published_resources().defer("body", "body_html", "search_document")


def _steps_with_exercises() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=ModuleStep.objects.prefetch_related(Prefetch("exercises", queryset=Exercise.objects.all())),
    )


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _language_context(items: list[Any], language: str) -> dict[str, Any]:
    """What a list page needs to say that some of what it shows is in another language."""
    localised.annotate(items, language)
    return {
        "page_language_name": localised.language_name(language),
        "fallback_language_names": [
            localised.language_name(code) for code in localised.fallback_languages(items, language)
        ],
    }


def access_published_module(slug: str) -> GuidedModule:
    return get_object_or_404(
        GuidedModule.objects.published().prefetch_related(_steps_with_exercises()),
        slug=slug,
    )


def access_preview(request: HttpRequest, model: type[Publishable], pk: int) -> Publishable:
    """The item, for staff who work on content and passed their second factor (as the admin asks);
    a 404, never a login page, for anyone else."""
    passed_second_factor = getattr(request.user, "is_verified", lambda: False)()
    if not (passed_second_factor and actions.can_preview(request.user, model)):
        raise Http404
    queryset = model.objects.all()
    if model is GuidedModule:
        queryset = queryset.prefetch_related(_steps_with_exercises())
    return get_object_or_404(queryset, pk=pk)


# --- public pages -------------------------------------------------------------------------------


@require_safe
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    language = _language()
    # A text counts once, in the page's language where it has a version, however many it has.
    shown = localised.choose(_resource_cards().order_by("-publish_at"), language)
    featured_texts = _resource_cards().filter(featured=True).values_list("translation_of", "pk")
    featured_groups = {original or pk for original, pk in featured_texts}
    featured = [item for item in shown if item.original_id in featured_groups][:FEATURED_ON_HOME]
    if not featured:
        featured = shown[:FEATURED_ON_HOME]
    counts: dict[int, int] = {}
    for item in shown:
        counts[item.category_id] = counts.get(item.category_id, 0) + 1
    categories = localised.name_categories(Category.objects.filter(pk__in=counts), language)
    for topic in categories:
        topic.published_count = counts[topic.pk]  # type: ignore[attr-defined]
    modules = localised.choose(GuidedModule.objects.published().order_by("title"), language)
    context = {"categories": categories, "featured": featured, "modules": modules}
    context.update(_language_context([*featured, *modules], language))
    return render(request, "home.html", context)


@require_safe
@cache_public_page
def browse_safely(request: HttpRequest) -> HttpResponse:
    return render(request, "browse_safely.html")


@require_safe
@cache_public_page
def resource_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    resources = localised.choose(
        _resource_cards().order_by("category__order", "category__name", "title"), language
    )
    names = localised.name_categories({resource.category for resource in resources}, language)
    by_pk = {category.pk: category for category in names}
    groups: dict[Category, list[Resource]] = {}
    for resource in resources:
        groups.setdefault(by_pk[resource.category_id], []).append(resource)
    context: dict[str, Any] = {"groups": groups}
    context.update(_language_context(resources, language))
    return render(request, "resources/resource_list.html", context)


@require_safe
@cache_public_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language()
    chosen = localised.name_categories([get_object_or_404(Category, slug=slug)], language)[0]
    resources = localised.choose(_resource_cards().filter(category=chosen).order_by("title"), language)
    context: dict[str, Any] = {
        "category": chosen,
        "resources": resources,
        "category_direction": localised.direction(chosen.shown_language),
    }
    context.update(_language_context(resources, language))
    return render(request, "resources/category.html", context)


@require_safe
@cache_public_page
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(_published_resources(), slug=slug)
    shown = localised.best_version(resource, _language())
    if shown.pk != resource.pk:
        return HttpResponseRedirect(shown.get_absolute_url())
    return _render_resource(request, resource, preview=False)


@require_safe
@cache_public_page
def module_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    modules = localised.choose(
        GuidedModule.objects.published().annotate(step_count=Count("steps")).order_by("title"), language
    )
    context: dict[str, Any] = {"modules": modules}
    context.update(_language_context(modules, language))
    return render(request, "resources/module_list.html", context)


@require_safe
@cache_public_page
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    module = access_published_module(slug)
    shown = localised.best_version(module, _language())
    if shown.pk != module.pk:
        return HttpResponseRedirect(shown.get_absolute_url())
    return _render_module(request, module, preview=False)


@require_safe
@cache_public_page
def exercise_print(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One exercise on its own page, with room to write: printable with JavaScript off."""
    module = access_published_module(slug)
    for step in module.steps.all():
        for exercise in step.exercises.all():
            if exercise.pk == pk:
                return render(
                    request,
                    "resources/exercise_print.html",
                    {
                        "module": module,
                        "step": step,
                        "exercise": exercise,
                        "lines": range(18 if exercise.kind == Exercise.Kind.PLAN else 9),
                        **_content_language(module),
                    },
                )
    raise Http404


# Search results are not cached: what people look for stays out of the cache, not only who they are.
# Over the limit, django-ratelimit's middleware answers with the calm 429 page (RATELIMIT_VIEW).
@require_safe
@ratelimit(key=privacy.rate_limit_key, rate=lambda group, request: settings.RATE_LIMITS["search"], block=True)
def search(request: HttpRequest) -> HttpResponse:
    language = _language()
    outcome = search_library(request.GET["q"], language) if "q" in request.GET else None
    # The box shows what was searched: tidied, shortened, without control characters.
    context = {"outcome": outcome, "query": outcome.query if outcome else "", "max_length": MAX_QUERY_LENGTH}
    if outcome:
        context.update(_language_context([*outcome.resources, *outcome.modules], language))
    response = render(request, "resources/search.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- staff preview ------------------------------------------------------------------------------


@require_safe
@never_cache
def resource_preview(request: HttpRequest, pk: int) -> HttpResponse:
    resource = access_preview(request, Resource, pk)
    assert isinstance(resource, Resource)
    return _render_resource(request, resource, preview=True)


@require_safe
@never_cache
def module_preview(request: HttpRequest, pk: int) -> HttpResponse:
    module = access_preview(request, GuidedModule, pk)
    assert isinstance(module, GuidedModule)
    return _render_module(request, module, preview=True)


# --- shared rendering ---------------------------------------------------------------------------


def _content_language(item: Publishable) -> dict[str, Any]:
    """What a page needs to mark its content's language, and to say when it is not the page's own."""
    language = _language()
    return {
        "content_language": item.language,
        "content_direction": localised.direction(item.language),
        "content_language_name": localised.language_name(item.language),
        "page_language_name": localised.language_name(language),
        "is_fallback": item.language != language,
        "other_versions": localised.version_links(item, item.published_versions()),
    }


def _related_reading(resource: Resource, language: str, *, preview: bool) -> list[Resource]:
    """Further reading, each piece in the page's language where it has a version. A translation
    without its own list offers its original's, so a Dutch reader gets the same suggestions."""
    source = resource
    if resource.translation_of_id is not None and not resource.related.exists():
        source = resource.translation_of  # type: ignore[assignment]
    related = source.related.all() if preview else source.related.published()
    groups = {item.original_id for item in related.only("pk", "translation_of")}
    versions = (Resource.objects.all() if preview else Resource.objects.published()).filter(
        Q(pk__in=groups) | Q(translation_of__in=groups)
    )
    versions = versions.exclude(pk=resource.original_id).exclude(translation_of=resource.original_id)
    cards = versions.defer("body", "body_html", "search_document").select_related("category")
    return localised.choose(cards.order_by("title"), language)


def _render_resource(request: HttpRequest, resource: Resource, *, preview: bool) -> HttpResponse:
    language = _language()
    related_shown = localised.annotate(_related_reading(resource, language, preview=preview), language)
    topic = localised.name_categories([resource.category], language)[0]
    # Links in the text to this site's pages lead to the pages in the reader's language.
    resource.body_html = localise_links(resource.body_html, language)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "topic": topic,
            "related": related_shown,
            "preview": preview,
            **_content_language(resource),
        },
    )


def _render_module(request: HttpRequest, module: GuidedModule, *, preview: bool) -> HttpResponse:
    language = _language()
    steps = list(module.steps.all())
    exercise_count = sum(len(step.exercises.all()) for step in steps)
    module.objectives_html = localise_links(module.objectives_html, language)
    for step in steps:
        step.body_html = localise_links(step.body_html, language)
    return render(
        request,
        "resources/module_detail.html",
        {
            "module": module,
            "steps": steps,
            "exercise_count": exercise_count,
            "preview": preview,
            **_content_language(module),
        },
    )
