"""Every page type carries the quick exit: a real link that works without JavaScript, and its script."""

import pytest
from django.conf import settings

from resources.models import Exercise, Status
from tests.resources.pages import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_page_type(make_resource, make_module):
    make_resource("talking-helps")
    draft = make_resource("draft", status=Status.DRAFT)
    module = make_module()
    plan = Exercise.objects.get(step__module=module, kind=Exercise.Kind.PLAN)
    return [
        "/en/",
        "/en/browse-safely/",
        "/en/self-help/",
        "/en/self-help/topics/getting-support/",
        "/en/self-help/talking-helps/",
        "/en/modules/",
        "/en/modules/making-a-plan/",
        f"/en/modules/making-a-plan/exercises/{plan.pk}/print/",
        "/en/search/?q=talking",
        "/en/search/",
        "/en/self-help/no-such-page/",  # the 404 page
        f"/en/self-help/preview/resource/{draft.pk}/",
    ]


def test_every_page_has_a_working_quick_exit(editor_client, every_page_type):
    for path in every_page_type:
        response = editor_client.get(path)
        assert response.status_code in (200, 404), path
        html = response.content.decode()
        links = [a for a in elements(html, "a") if "data-quick-exit-link" in a.attrs]
        assert len(links) == 1, path
        assert links[0].attrs["href"] == settings.QUICK_EXIT_URL, path
        assert "Quick exit" in links[0].text, path
        anchors = elements(html, "a")
        assert anchors[0].attrs.get("href") == "#main", "the skip link comes first"
        assert "data-quick-exit-link" in anchors[1].attrs, (
            f"the quick exit is the second stop for Tab on {path}"
        )
        scripts = elements(html, "script")
        assert "/static/js/quick-exit.js" in [s.attrs.get("src") for s in scripts], path
        assert all(s.attrs.get("src") for s in scripts), f"inline script on {path}"
        assert not [e for e in elements(html) if any(name.startswith("on") for name in e.attrs)], path
        assert not elements(html, "style"), f"inline style on {path}"
        assert not [e for e in elements(html) if "style" in e.attrs], f"style attribute on {path}"


def test_the_quick_exit_url_is_configurable(client, settings, every_page_type):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    html = client.get("/en/modules/").content.decode()
    assert [a.attrs["href"] for a in elements(html, "a") if "data-quick-exit-link" in a.attrs] == [
        "https://weather.example/"
    ]


def test_every_page_refers_only_to_our_own_files(client, every_page_type):
    for path in every_page_type:
        html = client.get(path).content.decode()
        assert not elements(html, "iframe"), path
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "src")):
            for element in elements(html, tag):
                value = element.attrs.get(attribute) or ""
                assert value.startswith("/") and not value.startswith("//"), (path, tag, value)
