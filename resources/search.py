"""Search over the published library: PostgreSQL full-text when available, a plain match otherwise.

On PostgreSQL each item is matched in its own language's stemming configuration (so "worrying"
finds "worried" in English), titles weigh more than summaries, summaries more than bodies, and
results come ranked. The embedded SQLite site gets a simpler match: every word of the query must
appear somewhere, and title hits come first. One view and one template serve both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from resources.models import GuidedModule, Resource

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50

# PostgreSQL's text search configurations for the languages we publish in; others match unstemmed.
SEARCH_CONFIGS = {
    "en": "english",
    "de": "german",
    "es": "spanish",
    "nl": "dutch",
    "fi": "finnish",
    "sv": "swedish",
    "pt": "portuguese",
}
FALLBACK_CONFIG = "simple"

# What each kind of content is searched on, most important first (weights A, B, C).
SEARCH_FIELDS: dict[type[Any], tuple[str, str, str]] = {
    Resource: ("title", "summary", "body"),
    GuidedModule: ("title", "summary", "objectives"),
}


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
    resources = search(
        Resource.objects.published().select_related("category"), query, SEARCH_FIELDS[Resource]
    )
    modules = search(GuidedModule.objects.published(), query, SEARCH_FIELDS[GuidedModule])
    return SearchOutcome(query=query, resources=resources, modules=modules)


# --- PostgreSQL ---------------------------------------------------------------------------------


def search_config_expression() -> Case:
    """Each row's text search configuration, chosen by its language (Django casts it to regconfig)."""
    whens = [When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()]
    return Case(*whens, default=Value(FALLBACK_CONFIG), output_field=CharField())


def fulltext_search(queryset: QuerySet[Any], query: str, fields: tuple[str, str, str]) -> list[Any]:
    config = search_config_expression()
    title, summary, body = fields
    vector = (
        SearchVector(title, weight="A", config=config)
        + SearchVector(summary, weight="B", config=config)
        + SearchVector(body, weight="C", config=config)
    )
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return list(
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)  # `@@`: the rank alone does not honour "-word"
        .order_by("-rank", "title")[:MAX_RESULTS]
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


def simple_search(queryset: QuerySet[Any], query: str, fields: tuple[str, str, str]) -> list[Any]:
    """Items containing every term somewhere; title matches first, then summary, then body."""
    terms = query_terms(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    title, summary, _body = fields

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
