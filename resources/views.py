"""Public pages of the self-help library, and staff preview of what is not public yet.

Public pages are the same for everyone: they read only published content, set no cookies and are
cached. Anything not published (a draft, something in review, unpublished, or scheduled for later)
is a 404, exactly like a page that never existed, so nobody can learn that it is there.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from config import privacy
from resources import actions
from resources.caching import cache_public_page
from resources.models import Category, Exercise, GuidedModule, ModuleStep, Publishable, Resource
from resources.search import MAX_QUERY_LENGTH, search_library

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
    now = timezone.now()
    categories = (
        Category.objects.annotate(
            published_count=Count(
                "resources",
                filter=Q(resources__status="published", resources__publish_at__lte=now),
            )
        )
        .filter(published_count__gt=0)
        .order_by("order", "name")
    )  # Meta.ordering does not apply to aggregates
    featured = list(_resource_cards().filter(featured=True).order_by("-publish_at")[:FEATURED_ON_HOME])
    if not featured:
        featured = list(_resource_cards().order_by("-publish_at")[:FEATURED_ON_HOME])
    modules = GuidedModule.objects.published().order_by("title")
    return render(request, "home.html", {"categories": categories, "featured": featured, "modules": modules})


@require_safe
@cache_public_page
def browse_safely(request: HttpRequest) -> HttpResponse:
    return render(request, "browse_safely.html")


@require_safe
@cache_public_page
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = list(_resource_cards().order_by("category__order", "category__name", "title"))
    groups: dict[Category, list[Resource]] = {}
    for resource in resources:
        groups.setdefault(resource.category, []).append(resource)
    return render(
        request,
        "resources/resource_list.html",
        {"groups": groups},
    )


@require_safe
@cache_public_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Category, slug=slug)
    resources = _resource_cards().filter(category=chosen).order_by("title")
    return render(
        request,
        "resources/category.html",
        {"category": chosen, "resources": resources},
    )


@require_safe
@cache_public_page
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(_published_resources(), slug=slug)
    return _render_resource(request, resource, preview=False)


@require_safe
@cache_public_page
def module_list(request: HttpRequest) -> HttpResponse:
    modules = GuidedModule.objects.published().annotate(step_count=Count("steps")).order_by("title")
    return render(request, "resources/module_list.html", {"modules": modules})


@require_safe
@cache_public_page
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    module = access_published_module(slug)
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
                    },
                )
    raise Http404


# Search results are not cached: what people look for stays out of the cache, not only who they are.
# Over the limit, django-ratelimit's middleware answers with the calm 429 page (RATELIMIT_VIEW).
@require_safe
@ratelimit(key=privacy.rate_limit_key, rate=lambda group, request: settings.RATE_LIMITS["search"], block=True)
def search(request: HttpRequest) -> HttpResponse:
    outcome = search_library(request.GET["q"]) if "q" in request.GET else None
    # The box shows what was searched: tidied, shortened, without control characters.
    context = {"outcome": outcome, "query": outcome.query if outcome else "", "max_length": MAX_QUERY_LENGTH}
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


def _render_resource(request: HttpRequest, resource: Resource, *, preview: bool) -> HttpResponse:
    related = resource.related.all() if preview else resource.related.published()
    related = related.defer("body", "body_html", "search_document")
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "related": related.select_related("category").order_by("title"),
            "preview": preview,
        },
    )


def _render_module(request: HttpRequest, module: GuidedModule, *, preview: bool) -> HttpResponse:
    steps = list(module.steps.all())
    exercise_count = sum(len(step.exercises.all()) for step in steps)
    return render(
        request,
        "resources/module_detail.html",
        {"module": module, "steps": steps, "exercise_count": exercise_count, "preview": preview},
    )
