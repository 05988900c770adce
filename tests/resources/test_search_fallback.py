"""The embedded (SQLite) site's search: plain matching, unit-tested on whatever database runs the suite."""

import pytest

from resources.models import Resource
from resources.search import clean_query, query_terms, search_library, simple_search


def test_query_terms_splits_words_and_keeps_quoted_phrases():
    assert query_terms('Worried  "shared device" worried') == ["worried", "shared device"]


def test_query_terms_ignores_web_search_operators():
    assert query_terms("sleep or -stress") == ["sleep"]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("", "Type a word"), ("   ", "Type a word"), ("x" * 201, "too long")],
)
def test_clean_query_explains_what_cannot_be_searched(raw, problem):
    query, message = clean_query(raw)
    assert query == ""
    assert problem in message


def test_clean_query_collapses_whitespace():
    assert clean_query("  feeling   low ") == ("feeling low", "")


@pytest.mark.django_db
def test_every_term_must_match_somewhere(make_resource):
    make_resource("a", title="Feeling low", body="Ideas for hard days.")
    make_resource("b", title="Feeling anxious", body="Breathing helps.")
    found = simple_search(Resource.objects.all(), "feeling days")
    assert [r.slug for r in found] == ["a"]


@pytest.mark.django_db
def test_title_matches_come_first(make_resource):
    make_resource("body", title="Looking after yourself", body="When you feel anxious, breathe.")
    make_resource("title", title="When you feel anxious", body="Some ideas.")
    make_resource("summary", title="Breathing", summary="For anxious moments.", body="Slowly.")
    found = simple_search(Resource.objects.all(), "ANXIOUS")
    assert [r.slug for r in found] == ["title", "summary", "body"]


@pytest.mark.django_db
def test_a_query_of_only_operators_finds_nothing(make_resource):
    make_resource()
    assert simple_search(Resource.objects.all(), "-talking") == []


@pytest.mark.django_db
def test_the_library_search_uses_the_fallback_off_postgresql(make_resource, monkeypatch):
    make_resource("talking-helps", title="Talking helps")
    monkeypatch.setattr("resources.search.connection.vendor", "sqlite")
    outcome = search_library("talking")
    assert [r.slug for r in outcome.resources] == ["talking-helps"]
