import pytest
from django.db import connection

from resources.models import Status
from resources.search_plan import MAX_QUERY_LENGTH
from tests.resources.pages import assert_sets_no_cookies, elements, text

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def _result_titles(response) -> list[str]:
    return [" ".join(e.text.split()) for e in elements(response.content, "h3") if "ol" in e.ancestors]


@on_postgresql
def test_a_title_match_ranks_above_a_body_match(client, make_resource):
    make_resource("in-body", title="Looking after yourself", body="Sleep helps when you feel anxious.")
    make_resource("in-title", title="When you feel anxious", body="Some ideas for hard days.")
    response = client.get("/en/search/", {"q": "anxious"})
    assert response.status_code == 200
    assert _result_titles(response) == ["When you feel anxious", "Looking after yourself"]


@on_postgresql
def test_a_summary_match_ranks_between_title_and_body(client, make_resource):
    make_resource("body", title="One", summary="Something.", body="Talk about shame here.")
    make_resource("summary", title="Two", summary="On shame.", body="Other words.")
    make_resource("title", title="Shame", summary="Something.", body="Other words.")
    assert _result_titles(client.get("/en/search/", {"q": "shame"})) == ["Shame", "Two", "One"]


@on_postgresql
def test_it_stems_english_words(client, make_resource):
    make_resource("worried", title="If you are worried", body="Many people feel this way.")
    response = client.get("/en/search/", {"q": "worrying"})
    assert _result_titles(response) == ["If you are worried"]


@on_postgresql
def test_it_stems_in_the_content_language(client, make_resource):
    make_resource(
        "de", title="Hilfe finden", body="Gespräche mit Therapeuten helfen vielen Menschen.", language="de"
    )
    response = client.get("/en/search/", {"q": "Therapeut"})
    assert _result_titles(response) == ["Hilfe finden"]


@on_postgresql
def test_it_understands_web_search_syntax(client, make_resource):
    make_resource("a", title="Sleep and stress")
    make_resource("b", title="Stress at work")
    assert _result_titles(client.get("/en/search/", {"q": "stress -sleep"})) == ["Stress at work"]
    assert _result_titles(client.get("/en/search/", {"q": '"sleep and stress"'})) == ["Sleep and stress"]


def test_it_finds_guided_modules_too(client, make_module):
    make_module(title="Making a plan for difficult moments")
    response = client.get("/en/search/", {"q": "plan"})
    assert "Guided modules" in text(response.content)
    assert "Making a plan for difficult moments" in _result_titles(response)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_it_never_finds_unpublished_content(client, make_resource, status):
    make_resource("hidden", title="Hidden anxious draft", status=status)
    response = client.get("/en/search/", {"q": "anxious"})
    assert "Hidden anxious draft" not in text(response.content)
    assert "Nothing matched" in text(response.content)


def test_an_empty_query_gets_a_clear_message(client):
    response = client.get("/en/search/", {"q": "   "})
    assert response.status_code == 200
    assert "Type a word or a few words" in text(response.content)


def test_an_over_long_query_gets_a_clear_message(client, make_resource):
    make_resource()
    response = client.get("/en/search/", {"q": "talking " * 40})
    assert f"up to {MAX_QUERY_LENGTH} characters" in text(response.content)


def test_without_a_query_it_shows_the_search_box(client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert [
        e.attrs.get("name") for e in elements(response.content, "input") if e.attrs.get("id") == "search-q"
    ] == ["q"]
    assert "Type a word" not in text(response.content)


def test_results_are_not_cached_and_set_no_cookies(client, make_resource):
    make_resource()
    response = client.get("/en/search/", {"q": "talking"})
    assert response["Cache-Control"] == "no-store"
    assert_sets_no_cookies(response)


def test_it_rejects_post(client):
    assert client.post("/en/search/", {"q": "talking"}).status_code == 405


def test_an_over_limit_seeker_gets_the_calm_429_page(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    assert client.get("/en/search/", {"q": "one"}).status_code == 200
    assert client.get("/en/search/", {"q": "two"}).status_code == 200
    response = client.get("/en/search/", {"q": "three"})
    assert response.status_code == 429
    assert "Please wait a moment" in text(response.content)


@on_postgresql
def test_the_stored_document_follows_edits(make_resource):
    from resources.search import search_library

    resource = make_resource("renamed", title="Before", body="Plain words.")
    assert search_library("hopeful").resources == []
    resource.title = "Feeling hopeful"
    resource.save()
    assert [r.slug for r in search_library("hopeful").resources] == ["renamed"]
    resource.language = "de"
    resource.save(update_fields=["language"])
    assert [r.slug for r in search_library("hopeful").resources] == ["renamed"]  # "simple"-ish German stem


@on_postgresql
def test_the_search_can_use_the_gin_index(make_resource):
    from resources.models import Resource
    from resources.search import fulltext_queryset

    make_resource("a", title="Worried about thoughts")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows would otherwise be scanned
        plan = fulltext_queryset(Resource.objects.all(), "worried").explain()
    assert "resources_resource_search_gin" in plan
