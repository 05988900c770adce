"""Reading the library leaves no trace of the reader: not in the database, not in the cache."""

import pytest

from resources.models import Exercise
from tests.privacy_audit import cache_text, database_text, find_canary

pytestmark = pytest.mark.django_db


def test_visiting_every_public_page_and_searching_leaves_no_canary(canary_client, make_resource, make_module):
    make_resource("talking-helps", title="Talking helps")
    module = make_module()
    plan = Exercise.objects.get(step__module=module, kind=Exercise.Kind.PLAN)
    paths = [
        "/en/",
        "/en/browse-safely/",
        "/en/self-help/",
        "/en/self-help/topics/getting-support/",
        "/en/self-help/talking-helps/",
        "/en/modules/",
        "/en/modules/making-a-plan/",
        f"/en/modules/making-a-plan/exercises/{plan.pk}/print/",
        "/en/search/?q=talking",
        "/en/search/?q=worrying+about+my+thoughts",
        "/en/search/?q=",
        "/en/self-help/no-such-page/",
    ]
    for _ in range(2):  # the second round is served from the cache
        for path in paths:
            response = canary_client.get(path)
            assert response.status_code in (200, 404), path
            assert find_canary(response.content.decode()) == [], path
    assert find_canary(database_text()) == []
    assert find_canary(cache_text()) == []


def test_search_terms_are_not_kept_in_the_cache(client, make_resource):
    make_resource()
    client.get("/en/search/", {"q": "distinctive-search-phrase"})
    assert "distinctive-search-phrase" not in cache_text()
