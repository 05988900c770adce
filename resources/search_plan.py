"""What one search looks for: the query cleaned, cut into words and phrases, and widened by the
synonym list, before any database is asked (see resources.search for how the plan is matched).

The words are read as PostgreSQL reads them: its stop words and the Snowball stemmers behind its
configurations, so the PostgreSQL and the embedded SQLite search look for the same things.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import snowballstemmer
from django.utils.translation import gettext

from resources.fulltext import config_for
from resources.search_synonyms import SearchSynonym

MAX_QUERY_LENGTH = 200  # characters searched; the search box allows no more
MAX_TERMS = 12  # words and phrases of the query itself
MAX_EXPANSIONS = 24  # words and phrases added from the synonym list
MAX_WORD_LENGTH = 40  # longer "words" are not words anyone reads

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
COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # "mental-health": PostgreSQL also indexes the whole
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


def normalised(raw: str) -> str:
    """Whitespace collapsed; control characters (a %00 in the address) become spaces."""
    return " ".join(_CONTROL.sub(" ", raw).split())


def clean_query(raw: str) -> tuple[str, str]:
    """The query to run, and a message in plain words if there is nothing to run.

    A query longer than the search box allows is cut at a word boundary, not refused: the results
    page says it was shortened.
    """
    query = normalised(raw)
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
    return [library_stem(word, config) for word in words_of(phrase)]


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    size = len(needle)
    return size > 0 and any(
        list(haystack[start : start + size]) == list(needle) for start in range(len(haystack) - size + 1)
    )


def as_plan(query: str | SearchPlan) -> SearchPlan:
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
def library_stem(word: str, config: str) -> str:
    """`stem` for the library's own words (pages and synonyms), which are read again and again."""
    return stem(word, config)
