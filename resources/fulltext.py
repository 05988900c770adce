"""PostgreSQL full-text pieces shared by the models (which store a search document) and the search.

Each item is indexed in its own language's stemming configuration, with the title weighing most
(A), then the summary (B), then the body (C). The document is stored on the row and GIN-indexed, so a
search reads precomputed vectors instead of parsing every article on every query.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Case, CharField, Value, When
from django.db.models.expressions import CombinedExpression

# PostgreSQL's text search configurations for the languages we publish in (each one is in a stock
# PostgreSQL: `SELECT cfgname FROM pg_ts_config`); a language without one matches unstemmed.
SEARCH_CONFIGS = {
    "en": "english",
    "nl": "dutch",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "ro": "romanian",
    "ar": "arabic",
    "fi": "finnish",
    "sv": "swedish",
    "pt": "portuguese",
}
FALLBACK_CONFIG = "simple"


def config_for(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


def config_expression() -> Case:
    """Each row's text search configuration, chosen by its language (Django casts it to regconfig)."""
    whens = [When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()]
    return Case(*whens, default=Value(FALLBACK_CONFIG), output_field=CharField())


def document_expression(title: str, summary: str, body: str) -> CombinedExpression:
    config = config_expression()
    return (
        SearchVector(title, weight="A", config=config)
        + SearchVector(summary, weight="B", config=config)
        + SearchVector(body, weight="C", config=config)
    )


def query_for(language: str, text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=config_for(language))
