import datetime

import pytest
from django.utils import timezone

from resources.models import Status
from tests.resources.pages import assert_sets_no_cookies, elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_page(client, make_module):
    module = make_module()
    response = client.get("/en/modules/making-a-plan/")
    assert response.status_code == 200
    return module, response.content.decode()


def test_it_shows_objectives_and_every_step_in_order(module_page):
    _module, html = module_page
    page = text(html)
    assert "know your warning signs" in page
    assert page.index("Step 1 of 2: Where you start") < page.index("Step 2 of 2: Your plan")
    assert "How confident do you feel?" in page
    assert "What brought you here?" in page
    assert "Write your plan." in page


def test_no_exercise_is_inside_a_form(module_page):
    _module, html = module_page
    answer_fields = [
        e for e in elements(html) if e.tag in ("input", "textarea") and "data-answer-input" in e.attrs
    ]
    assert len(answer_fields) == 11 + 1 + 1  # an 11-point scale, a reflection and a plan
    for field in answer_fields:
        assert "form" not in field.ancestors
    # The only form on the page is the site search in the header.
    forms = elements(html, "form")
    assert [f.attrs.get("role") for f in forms] == ["search"]
    assert not any(e.attrs.get("type") == "submit" for e in elements(html) if "article" in e.ancestors)


def test_the_scale_is_labelled_and_grouped(module_page):
    module, html = module_page
    rating = module.steps.first().exercises.get(kind="rating")
    radios = [e for e in elements(html, "input") if e.attrs.get("name") == rating.answer_key]
    assert [r.attrs["value"] for r in radios] == [str(v) for v in range(0, 11)]
    assert all("fieldset" in r.ancestors for r in radios)
    labels = {e.attrs.get("for") for e in elements(html, "label")}
    assert all(r.attrs["id"] in labels for r in radios)
    assert "0 = Not at all" in text(html)
    assert "10 = Completely" in text(html)


def test_written_answers_have_labels_and_are_not_autofilled(module_page):
    _module, html = module_page
    labels = {e.attrs.get("for") for e in elements(html, "label")}
    for area in elements(html, "textarea"):
        assert area.attrs["id"] in labels
        assert area.attrs.get("autocomplete") == "off"


def test_the_answer_tools_need_javascript_and_say_so_without_it(module_page):
    _module, html = module_page
    tools = next(e for e in elements(html) if "data-answers-tools" in e.attrs)
    assert "hidden" in tools.attrs
    page = text(html)
    assert "Remember my answers on this device" in page
    assert "Only tick this on a device nobody else uses" in page
    assert "Download my answers" in page
    assert "Delete my answers" in page
    assert "JavaScript is off in your browser" in page
    for button in elements(html, "button"):
        if "article" in button.ancestors:
            assert button.attrs.get("type") == "button"


def test_it_loads_the_answers_script_from_our_own_files(module_page):
    _module, html = module_page
    scripts = elements(html, "script")
    assert "/static/js/module-answers.js" in [s.attrs.get("src") for s in scripts]
    assert all(s.attrs.get("src") for s in scripts), "no inline script"


def test_each_exercise_links_to_its_printable_version(module_page):
    module, html = module_page
    hrefs = {e.attrs.get("href") for e in elements(html, "a")}
    for step in module.steps.all():
        for exercise in step.exercises.all():
            assert f"/en/modules/making-a-plan/exercises/{exercise.pk}/print/" in hrefs


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_it_404s_a_module_that_is_not_published(client, make_module, status):
    make_module(status=status)
    assert client.get("/en/modules/making-a-plan/").status_code == 404


def test_it_404s_a_module_scheduled_for_later(client, make_module):
    make_module(publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/en/modules/making-a-plan/").status_code == 404


def test_it_404s_a_draft_even_for_an_editor(editor_client, make_module):
    make_module(status=Status.DRAFT)
    assert editor_client.get("/en/modules/making-a-plan/").status_code == 404


def test_it_sets_no_cookies(client, make_module):
    make_module()
    assert_sets_no_cookies(client.get("/en/modules/making-a-plan/"))


def test_it_rejects_post(client, make_module):
    make_module()
    assert client.post("/en/modules/making-a-plan/", {"exercise-1": "an answer"}).status_code == 405
