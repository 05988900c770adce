"""Search over the published library, for people who type what is on their mind.

Seekers rarely type an article's words. They type "I'm worried about my thoughts", "my husband" or
"paedophile". So one search:

- leaves out very common words ("I'm", "about", "my") and looks for the rest in any order: a page
  that matches any of them is found, and pages that match more of them, or match in their title,
  come first (any-word ranking, not every-word matching);
- matches other forms of a word ("worrying" finds "worried", "urges" finds "urge"): Snowball stemming,
  in each item's own language;
- also looks for the words editors list as meaning the same (resources.search_synonyms: "paedophile"
  also means "attracted to children"), from the list for the page's language, and the results page
  says which it added;
- shows the library in the page's language: a text that has a version in that language is shown in
  it; a text without one is shown in English (or its original language), and marked as such
  (resources.localised);
- keeps web-search habits: "quoted phrases" match as phrases and -word leaves pages out.

The query is turned into a SearchPlan once, in Python (resources.search_plan); the database only
matches the plan. On PostgreSQL the plan becomes one tsquery per language, matched against the
stored GIN-indexed documents (resources.fulltext) and ranked with ts_rank. The embedded SQLite site
has no full-text search, so the same plan is matched in Python with the same Snowball stemmers and
PostgreSQL's own English stop words, phrases by position as PostgreSQL does, and ranked by how many
terms match and where (title, then summary, then body) — the same quality, on a library small enough
to read.

Bounded: the query is cut to MAX_QUERY_LENGTH characters and MAX_TERMS terms (the page says so),
synonyms add at most MAX_EXPANSIONS terms, and the view keeps its per-visitor rate limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, When
from django.utils import translation
from django.utils.translation import gettext

from resources import localised
from resources.fulltext import config_for
from resources.models import GuidedModule, Publishable, Resource
from resources.search_plan import (
    COMPOUND,
    SearchPlan,
    Term,
    as_plan,
    clean_query,
    library_stem,
    normalised,
    plan_search,
    stem,
    stop_words,
)
from resources.search_synonyms import SearchSynonym

MAX_SYNONYMS = 2000  # rows read per search; the list is written by hand
MAX_RESULTS = 50
MAX_SCANNED = 5000  # SQLite only: items read per search (the embedded library is far smaller)


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    problem: str = ""
    resources: Sequence[Resource] = ()
    modules: Sequence[GuidedModule] = ()
    also: Sequence[str] = ()
    shortened: bool = False

    @property
    def count(self) -> int:
        return len(self.resources) + len(self.modules)


def search_library(raw: str, language: str | None = None) -> SearchOutcome:
    """The library searched in `language` (the page's; by default the active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    query, problem = clean_query(raw)
    if problem:
        return SearchOutcome(query=query, problem=problem)
    synonyms = SearchSynonym.objects.filter(language=language).values_list("terms", "also_means")
    plan = plan_search(query, synonyms[:MAX_SYNONYMS], language)
    if plan.only_common_words:
        return SearchOutcome(
            query=query,
            problem=gettext(
                "Your search had only very common words, such as “I”, “about” or “my”, which search "
                "leaves out. Try other words, for example “thoughts”, “worried” or “partner”."
            ),
        )
    search = fulltext_search if connection.vendor == "postgresql" else simple_search
    cards = ("body", "body_html", "search_document")  # results show title and summary only
    resources = localised.for_results(
        search(Resource.objects.published().select_related("category").defer(*cards), plan), language
    )
    modules = localised.for_results(
        search(GuidedModule.objects.published().defer("objectives_html", "search_document"), plan), language
    )
    return SearchOutcome(
        query=query,
        resources=resources,
        modules=modules,
        also=plan.also,
        shortened=plan.shortened or len(normalised(raw)) > len(query),
    )


# --- PostgreSQL ---------------------------------------------------------------------------------


def tsquery_text(plan: SearchPlan) -> str:
    """The plan in to_tsquery syntax: any term (a phrase as <->), none of the excluded.

    Words are letters and digits only (words_of), so quoting them is all the escaping needed;
    to_tsquery stems each one and drops stop words in the row's own configuration.
    """

    def operand(term: Term) -> str:
        return " <-> ".join(f"'{word}'" for word in term.words)

    text = " | ".join(f"( {operand(term)} )" for term in plan.terms)
    for term in plan.excluded:
        text = f"( {text} ) & !( {operand(term)} )"
    return text


def fulltext_search(queryset: QuerySet[Any], query: str | SearchPlan) -> list[Any]:
    return list(fulltext_queryset(queryset, query)[:MAX_RESULTS])


def fulltext_queryset(queryset: QuerySet[Any], query: str | SearchPlan) -> QuerySet[Any]:
    """Ranked matches against the stored documents, each row in its own language's configuration.

    The query in all configurations OR-ed together is a constant tsquery, which lets PostgreSQL
    narrow the rows down with the GIN index before each row is matched in its own language.
    """
    plan = as_plan(query)
    if not plan.terms:
        return queryset.none()
    text = tsquery_text(plan)
    matches = Q()
    ranks = []
    any_language: Any = None
    for code, _name in settings.LANGUAGES:
        search_query = SearchQuery(text, search_type="raw", config=config_for(code))
        matches |= Q(language=code, search_document=search_query)
        ranks.append(When(language=code, then=SearchRank(F("search_document"), search_query)))
        any_language = search_query if any_language is None else any_language | search_query
    return (
        queryset.filter(search_document=any_language)
        .filter(matches)
        .annotate(rank=Case(*ranks, default=0.0, output_field=FloatField()))
        .order_by("-rank", "title")
    )


# --- SQLite and anything else -------------------------------------------------------------------

# PostgreSQL's default ts_rank weights for A (title), B (summary) and C (body).
FIELD_WEIGHTS = (1.0, 0.4, 0.2)


@dataclass
class _Field:
    """A text as PostgreSQL would index it: a stem per position, None where a stop word stood."""

    positions: list[str | None]
    where: dict[str, list[int]] = field(default_factory=dict)  # stem → its positions

    @classmethod
    def of(cls, text: str, config: str) -> _Field:
        common = stop_words(config)
        positions: list[str | None] = []
        for compound in COMPOUND.findall(text.lower()):
            parts = compound.split("-")
            if len(parts) > 1:
                positions.append(compound)  # never a query word: keeps the positions PostgreSQL has
            positions += [None if part in common else library_stem(part, config) for part in parts]
        where: dict[str, list[int]] = {}
        for position, item in enumerate(positions):
            if item is not None:
                where.setdefault(item, []).append(position)
        return cls(positions, where)

    def occurrences(self, stems: Sequence[str | None]) -> int:
        """How often a word, or a phrase's words in order (a stop word stands for any word), occur."""
        present = [(len(self.where.get(s, ())), offset, s) for offset, s in enumerate(stems) if s is not None]
        if not present or min(present)[0] == 0:
            return 0
        if len(stems) == 1:
            return present[0][0]
        _count, anchor, anchor_stem = min(present)  # check the phrase around its rarest word
        starts = (position - anchor for position in self.where[anchor_stem])
        return sum(
            1
            for start in starts
            if 0 <= start <= len(self.positions) - len(stems)
            and all(s is None or self.positions[start + i] == s for i, s in enumerate(stems))
        )


# (model label, pk) → (language, texts, analysed fields): the embedded site reads each text once,
# until it changes. Bounded; a busy embedded site simply starts again.
_analysed: dict[tuple[str, Any], tuple[str, tuple[str, ...], tuple[_Field, ...]]] = {}
_MAX_ANALYSED = 10_000


def _fields_of(label: str, pk: Any, language: str, texts: tuple[str, ...]) -> tuple[_Field, ...]:
    cached = _analysed.get((label, pk))
    if cached is not None and cached[0] == language and cached[1] == texts:
        return cached[2]
    config = config_for(language)
    fields = tuple(_Field.of(text, config) for text in texts)
    if len(_analysed) >= _MAX_ANALYSED:
        _analysed.clear()
    _analysed[(label, pk)] = (language, texts, fields)
    return fields


def _term_stems(term: Term, config: str) -> tuple[str | None, ...]:
    common = stop_words(config)
    return tuple(None if word in common else stem(word, config) for word in term.words)


def match_score(fields: Sequence[_Field], terms: Sequence[tuple[str | None, ...]]) -> float:
    """How well an item matches: each matching term counts by where it matched best (title, summary,
    body), a little more for each further occurrence; so more terms, and better places, rank higher."""
    total = 0.0
    for stems in terms:
        best = 0.0
        occurrences = 0
        for weight, item_field in zip(FIELD_WEIGHTS, fields, strict=True):
            found = item_field.occurrences(stems)
            if found:
                best = max(best, weight)
                occurrences += found
        if best:
            total += best * (1 + 0.25 * math.log(occurrences))
    return total


def simple_search(queryset: QuerySet[Any], query: str | SearchPlan) -> list[Any]:
    """The plan matched in Python: any term, ranked by how many match and where."""
    plan = as_plan(query)
    if not plan.terms:
        return []
    model: type[Publishable] = queryset.model
    label = model._meta.label
    by_config: dict[str, tuple[list[tuple[str | None, ...]], list[tuple[str | None, ...]]]] = {}
    scored: list[tuple[float, str, Any]] = []
    rows = queryset.order_by().values_list("pk", "language", *model.SEARCH_FIELDS)[:MAX_SCANNED]
    for pk, language, *texts in rows:
        config = config_for(language)
        if config not in by_config:
            by_config[config] = (
                [_term_stems(term, config) for term in plan.terms],
                [_term_stems(term, config) for term in plan.excluded],
            )
        wanted, unwanted = by_config[config]
        fields = _fields_of(label, pk, language, tuple(texts))
        if any(f.occurrences(stems) for stems in unwanted for f in fields):
            continue
        points = match_score(fields, wanted)
        if points > 0:
            scored.append((-points, texts[0].lower(), pk))
    best = [pk for *_order, pk in sorted(scored)[:MAX_RESULTS]]
    items = {item.pk: item for item in queryset.filter(pk__in=best)}
    return [items[pk] for pk in best if pk in items]
