"""Search over the published library: PostgreSQL full-text when available, a plain match otherwise.

On PostgreSQL each item is matched in its own language's stemming configuration (so "worrying"
finds "worried" in English), titles weigh more than summaries, summaries more than bodies, and
results come ranked; the documents are precomputed and indexed (see resources.fulltext). The
embedded SQLite site gets a simpler match: every word of the query must appear somewhere, and title
hits come first. One view and one template serve both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, When

from resources.fulltext import query_for
from resources.models import GuidedModule, Publishable, Resource

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    problem: str = ""
    resources: Sequence[Resource] = ()
    modules: Sequence[GuidedModule] = ()

    @property
    def count(self) -> int:
        return len(self.resources) + len(self.modules)


def clean_query(raw: str) -> tuple[str, str]:
    """The query to run and, if it cannot be run, a message saying why in plain words."""
    query = " ".join(raw.split())
    if not query:
        return "", "Type a word or a few words to search the self-help library."
    if len(query) > MAX_QUERY_LENGTH:
        return "", f"That search is too long. Try a few words (up to {MAX_QUERY_LENGTH} characters)."
    return query, ""


def search_library(raw: str) -> SearchOutcome:
    query, problem = clean_query(raw)
    if problem:
        return SearchOutcome(query=raw[:MAX_QUERY_LENGTH], problem=problem)
    search = fulltext_search if connection.vendor == "postgresql" else simple_search
    cards = ("body", "body_html", "search_document")  # results show title and summary only
    resources = search(Resource.objects.published().select_related("category").defer(*cards), query)
    modules = search(GuidedModule.objects.published().defer("objectives_html", "search_document"), query)
    return SearchOutcome(query=query, resources=resources, modules=modules)


# --- PostgreSQL ---------------------------------------------------------------------------------


def fulltext_search(queryset: QuerySet[Any], query: str) -> list[Any]:
    return list(fulltext_queryset(queryset, query)[:MAX_RESULTS])


def fulltext_queryset(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Ranked matches against the stored documents, each row in its own language's configuration.

    Every row is matched in its own language's configuration; the query in all configurations OR-ed
    together is a constant tsquery, which lets PostgreSQL narrow the rows down with the GIN index.
    """
    matches = Q()
    ranks = []
    any_language: Any = None
    for code, _name in settings.LANGUAGES:
        search_query = query_for(code, query)
        matches |= Q(language=code, search_document=search_query)
        ranks.append(When(language=code, then=SearchRank(F("search_document"), search_query)))
        any_language = search_query if any_language is None else any_language | search_query
    return (
        # The first filter is implied by the second, but it is one constant query the index can answer.
        queryset.filter(search_document=any_language)
        .filter(matches)
        .annotate(rank=Case(*ranks, default=0.0, output_field=FloatField()))
        .order_by("-rank", "title")
    )


# --- SQLite and anything else -------------------------------------------------------------------

_TERM = re.compile(r'"([^"]+)"|(\S+)')


def query_terms(query: str) -> list[str]:
    """Words of a query, with "quoted phrases" kept together and websearch's `or`/`-` ignored."""
    terms = []
    for phrase, word in _TERM.findall(query):
        term = (phrase or word).strip().lower()
        if word and (term == "or" or term.startswith("-")):
            continue
        if term and term not in terms:
            terms.append(term)
    return terms


def simple_search(queryset: QuerySet[Any], query: str) -> list[Any]:
    """Items containing every term somewhere; title matches first, then summary, then body."""
    model: type[Publishable] = queryset.model
    title, summary, body = model.SEARCH_FIELDS
    terms = query_terms(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition &= (
            Q(**{f"{title}__icontains": term})
            | Q(**{f"{summary}__icontains": term})
            | Q(**{f"{body}__icontains": term})
        )

    def score(item: Any) -> tuple[int, str]:
        points = 0
        for term in terms:
            if term in getattr(item, title).lower():
                points += 4
            if term in getattr(item, summary).lower():
                points += 2
            points += 1
        return (-points, getattr(item, title).lower())

    return sorted(queryset.filter(condition)[: MAX_RESULTS * 4], key=score)[:MAX_RESULTS]
