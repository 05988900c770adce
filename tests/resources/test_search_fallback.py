"""The embedded (SQLite) site's search, matched in Python; unit-tested on whatever database runs the suite."""

import pytest

from resources.models import Resource
from resources.search import search_library, simple_search
from resources.search_plan import MAX_QUERY_LENGTH, clean_query, plan_search


def _texts(terms):
    return [term.text for term in terms]


def test_the_plan_keeps_quoted_phrases_and_drops_repeats_and_very_common_words():
    plan = plan_search('I am Worried  "shared device" worrying')
    assert _texts(plan.terms) == ["worried", "shared device"]  # "worrying" is the same word


def test_the_plan_understands_web_search_operators():
    plan = plan_search("sleep or -stress")
    assert _texts(plan.terms) == ["sleep"]
    assert _texts(plan.excluded) == ["stress"]


def test_synonyms_add_phrases_when_the_query_holds_one_of_their_terms():
    synonyms = [("husband, wife", "partner, someone you love"), ("attracted to children", "thoughts")]
    plan = plan_search("my husband's phone", synonyms)
    assert _texts(plan.terms) == ["husband", "phone", "partner", "someone you love"]
    assert plan.also == ("partner", "someone you love")
    assert plan_search("attracted to adults", synonyms).also == ()  # a phrase matches as a whole


def test_a_query_of_only_common_words_is_flagged():
    assert plan_search("What should I do about it?").only_common_words
    assert not plan_search("-talking").only_common_words


@pytest.mark.parametrize("raw", ["", "   ", "\x00", "\t\x00\x7f"])
def test_clean_query_explains_what_cannot_be_searched(raw):
    query, message = clean_query(raw)
    assert query == ""
    assert "Type a word" in message


def test_clean_query_cuts_a_long_query_at_a_word():
    query, message = clean_query("worried " * 40)
    assert message == ""
    assert len(query) <= MAX_QUERY_LENGTH
    assert query.split() == ["worried"] * len(query.split())


def test_clean_query_collapses_whitespace():
    assert clean_query("  feeling   low ") == ("feeling low", "")


@pytest.mark.django_db
def test_any_term_may_match_and_more_matching_terms_rank_higher(make_resource):
    make_resource("a", title="Feeling low", body="Ideas for hard days.")
    make_resource("b", title="Feeling anxious", body="Breathing helps.")
    make_resource("c", title="Sleep", body="Rest.")
    found = simple_search(Resource.objects.all(), "feeling days")
    assert [r.slug for r in found] == ["a", "b"]


@pytest.mark.django_db
def test_other_forms_of_a_word_match(make_resource):
    make_resource("urge", title="When an urge is strong", body="It passes.")
    assert [r.slug for r in simple_search(Resource.objects.all(), "urges")] == ["urge"]


@pytest.mark.django_db
def test_phrases_match_only_together_and_exclusions_leave_pages_out(make_resource):
    make_resource("a", title="Sleep and stress", body="Rest.")
    make_resource("b", title="Stress at work", body="Sleep well.")
    assert [r.slug for r in simple_search(Resource.objects.all(), '"sleep and stress"')] == ["a"]
    assert [r.slug for r in simple_search(Resource.objects.all(), "stress -sleep")] == []
    assert [r.slug for r in simple_search(Resource.objects.all(), "work -rest")] == ["b"]


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
