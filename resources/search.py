"""Search over the published library, for people who type what is on their mind.

Seekers rarely type an article's words. They type "I'm worried about my thoughts", "my husband" or
"paedophile". So one search:

- leaves out very common words ("I'm", "about", "my") and looks for the rest in any order: a page
  that matches any of them is found, and pages that match more of them, or match in their title,
  come first (any-word ranking, not every-word matching);
- matches other forms of a word ("worrying" finds "worried", "urges" finds "urge"): Snowball stemming,
  in each item's own language;
- also looks for the words editors list as meaning the same (resources.SearchSynonym: "paedophile"
  also means "attracted to children"), from the list for the page's language, and the results page
  says which it added;
- shows the library in the page's language: a text that has a version in that language is shown in
  it; a text without one is shown in English (or its original language), and marked as such
  (resources.localised);
- keeps web-search habits: "quoted phrases" match as phrases and -word leaves pages out.

The query is turned into a SearchPlan once, in Python; the database only matches the plan. On
PostgreSQL the plan becomes one tsquery per language, matched against the stored GIN-indexed
documents (resources.fulltext) and ranked with ts_rank. The embedded SQLite site has no full-text
search, so the same plan is matched in Python with the same Snowball stemmers and PostgreSQL's own
English stop words, phrases by position as PostgreSQL does, and ranked by how many terms match and
where (title, then summary, then body) — the same quality, on a library small enough to read.

Bounded: the query is cut to MAX_QUERY_LENGTH characters and MAX_TERMS terms (the page says so),
synonyms add at most MAX_EXPANSIONS terms, and the view keeps its per-visitor rate limit.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, When
from django.utils import translation
from django.utils.translation import gettext

from resources import localised
from resources.fulltext import config_for
from resources.models import GuidedModule, Publishable, Resource, SearchSynonym

MAX_QUERY_LENGTH = 200  # characters searched; the search box allows no more
MAX_TERMS = 12  # words and phrases of the query itself
MAX_EXPANSIONS = 24  # words and phrases added from the synonym list
MAX_WORD_LENGTH = 40  # longer "words" are not words anyone reads
MAX_SYNONYMS = 2000  # rows read per search; the list is written by hand
MAX_RESULTS = 50
MAX_SCANNED = 5000  # SQLite only: items read per search (the embedded library is far smaller)

# PostgreSQL's own English stop words (share/tsearch_data/english.stop), so both databases leave out
# the same words.
_POSTGRESQL_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own same
    so than too very s t can will just don should now"""
ENGLISH_STOP_WORDS = frozenset(_POSTGRESQL_ENGLISH_STOP_WORDS.split())
# Also left out of what people type (not of the text searched): the pieces PostgreSQL makes of
# "I'm", "I've", "won't"..., the same typed without an apostrophe, and a few more empty words.
_QUERY_ONLY_STOP_WORDS = """
    m ve ll re d won isn aren wasn weren doesn didn hasn haven hadn wouldn shouldn couldn mustn
    needn shan ain im ive id dont cant wont didnt doesnt isnt wasnt would could might must"""
QUERY_STOP_WORDS = ENGLISH_STOP_WORDS | frozenset(_QUERY_ONLY_STOP_WORDS.split())

# The most common words of the other languages, left out of what people type ("ik maak me zorgen over
# mijn gedachten" looks for "zorgen" and "gedachten"), so that a sentence does not find every page.
# A short list each, all of them also in PostgreSQL's own list for that language, which leaves out
# more in the stored documents; the embedded SQLite search leaves these out of the pages too.
_OTHER_STOP_WORDS = {
    "dutch": """de het een en van ik je jij u hij zij ze we wij mijn me mij jouw uw zijn haar ons onze
        hun is ben bent was waren in op aan met voor over naar om te of dat die dit deze er niet
        geen wel ook maar dan als wat wie hoe waar heb heeft hebben had kan kun kunnen wil zou
        moet mag al nog zo toch dus""",
    "german": """der die das den dem des ein eine einen einem einer und oder ich du sie er es wir ihr
        mein meine meinen meiner mich mir dich dir sich sein seine ihre unser bin bist ist sind war
        waren in im an am auf aus mit für über um zu zum zur von vom bei nach nicht kein keine auch
        aber dann wenn was wer wie wo habe hast hat haben hatte kann können will soll muss noch so
        doch""",
    "french": """le la les un une des du de et ou je tu il elle on nous vous ils elles me te se moi toi
        mon ma mes ton ta tes son sa ses notre votre leur suis es est sommes êtes sont était dans en
        au aux sur avec pour par ne pas plus que qui quoi ce cet cette ces mais si ai as avons avez
        ont""",
    "spanish": """el la los las un una unos unas y o de del al a en con por para sin sobre yo tú él
        ella nosotros vosotros ellos me te se mi mis tu tus su sus nuestro es soy eres son era está
        estoy estás que qué quien cómo como no sí lo le les pero si muy ya he has ha tengo tiene""",
    "romanian": """și sau un o niște de la în pe cu din pentru despre eu tu el ea noi voi ei ele mă
        te se îmi îți își mi meu mea mei mele tău ta său sa nostru vostru lor sunt ești este e
        suntem era că ce care cine cum nu da dar dacă mai am ai are avem aveți au""",
    "arabic": """في من على إلى عن مع أن إن أنا أنت أنتم هو هي نحن هم هذا هذه ذلك تلك التي الذي ما لا
        لم لن قد كان كانت و أو ثم كل بعض هل كيف""",
}
STOP_WORDS = {
    "english": ENGLISH_STOP_WORDS,
    **{config: frozenset(words.split()) for config, words in _OTHER_STOP_WORDS.items()},
}


def stop_words(config: str, *, typed: bool = False) -> frozenset[str]:
    """The words left out in a configuration's language; `typed`: of a query, which leaves out more."""
    if config == "english":
        return QUERY_STOP_WORDS if typed else ENGLISH_STOP_WORDS
    return STOP_WORDS.get(config, frozenset())


# The Snowball algorithm behind each PostgreSQL configuration in resources.fulltext.
SNOWBALL_ALGORITHMS = {
    "english": "english",
    "dutch": "dutch",
    "german": "german",
    "french": "french",
    "spanish": "spanish",
    "romanian": "romanian",
    "arabic": "arabic",
    "finnish": "finnish",
    "swedish": "swedish",
    "portuguese": "portuguese",
}

_WORD = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # "mental-health": PostgreSQL also indexes the whole
_PIECE = re.compile(r'"([^"]*)"?|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing a page may match: a word, or a phrase whose words must stand together."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class SearchPlan:
    terms: tuple[Term, ...] = ()  # a page matching any of these is found
    excluded: tuple[Term, ...] = ()  # -word: pages matching these are left out
    also: tuple[str, ...] = ()  # what the synonym list added, in the editors' words
    shortened: bool = False  # the query was cut to its first characters or terms
    only_common_words: bool = False  # every word typed was a very common one


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


def _normalised(raw: str) -> str:
    """Whitespace collapsed; control characters (a %00 in the address) become spaces."""
    return " ".join(_CONTROL.sub(" ", raw).split())


def clean_query(raw: str) -> tuple[str, str]:
    """The query to run, and a message in plain words if there is nothing to run.

    A query longer than the search box allows is cut at a word boundary, not refused: the results
    page says it was shortened.
    """
    query = _normalised(raw)
    if not query:
        return "", gettext("Type a word or a few words to search the self-help library.")
    if len(query) > MAX_QUERY_LENGTH:
        cut = query[: MAX_QUERY_LENGTH + 1]
        query = (cut.rsplit(" ", 1)[0] if " " in cut else cut)[:MAX_QUERY_LENGTH].rstrip()
    return query, ""


def words_of(text: str) -> list[str]:
    """Lowercase words, split as PostgreSQL's parser splits them ("I'm" is "i" and "m")."""
    return [word for word in _WORD.findall(text.lower()) if len(word) <= MAX_WORD_LENGTH]


def plan_search(query: str, synonyms: Iterable[tuple[str, str]] = (), language: str = "en") -> SearchPlan:
    """What to look for: the query's own words and phrases, then what the synonym list adds.

    `language` is the page's: its common words are left out, and its stems match the synonym list
    (which is written in that language)."""
    config = config_for(language)
    common = stop_words(config, typed=True)
    terms: list[Term] = []
    excluded: list[Term] = []
    seen: set[tuple[str, ...]] = set()
    positive_words: list[str] = []  # the query's words in order, for matching synonym phrases
    shortened = False
    dropped_common = False

    def add(words: Sequence[str], into: list[Term]) -> bool:
        key = tuple(stem(word, config) for word in words)
        if not words or key in seen:
            return False
        seen.add(key)
        into.append(Term(tuple(words)))
        return True

    for phrase, word in _PIECE.findall(query):
        if word.lower() == "or":
            continue
        if word.startswith("-"):
            for excluded_word in words_of(word):
                if excluded_word not in common:
                    add([excluded_word], excluded)
            continue
        words = words_of(phrase if phrase else word)
        positive_words += words
        meaningful = [w for w in words if w not in common and len(w) > 1]
        dropped_common = dropped_common or len(meaningful) < len(words)
        pieces = [words] if phrase and meaningful else [[w] for w in meaningful]
        for piece in pieces:
            if len(terms) >= MAX_TERMS:
                shortened = True
                break
            add(piece, terms)

    also: list[str] = []
    query_stems = [stem(word, config) for word in positive_words]
    for searched_for, also_means in synonyms:
        if not any(_contains(query_stems, _stems(p, config)) for p in SearchSynonym.phrases(searched_for)):
            continue
        for meaning in SearchSynonym.phrases(also_means):
            words = words_of(meaning)
            # Added like a typed phrase, not word by word: "attracted to children" should not find
            # every page that mentions children.
            if (
                len(also) < MAX_EXPANSIONS
                and any(w not in stop_words(config) for w in words)
                and add(words, terms)
            ):
                also.append(meaning)

    return SearchPlan(
        terms=tuple(terms),
        excluded=tuple(excluded),
        also=tuple(also),
        shortened=shortened,
        only_common_words=not terms and not excluded and dropped_common,
    )


def _stems(phrase: str, config: str) -> list[str]:
    return [_library_stem(word, config) for word in words_of(phrase)]


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    size = len(needle)
    return size > 0 and any(
        list(haystack[start : start + size]) == list(needle) for start in range(len(haystack) - size + 1)
    )


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
        shortened=plan.shortened or len(_normalised(raw)) > len(query),
    )


def _as_plan(query: str | SearchPlan) -> SearchPlan:
    return query if isinstance(query, SearchPlan) else plan_search(query)


# --- stemming -----------------------------------------------------------------------------------

_stemmers = threading.local()  # Snowball stemmers keep state while they work: one per thread


def _stemmer(config: str) -> Any:
    algorithm = SNOWBALL_ALGORITHMS.get(config)
    if algorithm is None:
        return None
    by_config = _stemmers.__dict__.setdefault("by_config", {})
    if config not in by_config:
        by_config[config] = snowballstemmer.stemmer(algorithm)
        by_config[config].maxCacheSize = 0  # PyStemmer, if present, would otherwise remember words
    return by_config[config]


def stem(word: str, config: str) -> str:
    """A word's stem in a PostgreSQL configuration's language ("simple": the word itself).

    Not cached: what people type is not kept, not even in this process's memory.
    """
    stemmer = _stemmer(config)
    return str(stemmer.stemWord(word)) if stemmer is not None else word


@functools.lru_cache(maxsize=50_000)
def _library_stem(word: str, config: str) -> str:
    """`stem` for the library's own words (pages and synonyms), which are read again and again."""
    return stem(word, config)


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
    plan = _as_plan(query)
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
        for compound in _COMPOUND.findall(text.lower()):
            parts = compound.split("-")
            if len(parts) > 1:
                positions.append(compound)  # never a query word: keeps the positions PostgreSQL has
            positions += [None if part in common else _library_stem(part, config) for part in parts]
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
    plan = _as_plan(query)
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
