import pytest

from resources.models import Exercise, Status
from tests.resources.pages import assert_sets_no_cookies, elements, text

pytestmark = pytest.mark.django_db


def _exercise(module, kind):
    return Exercise.objects.get(step__module=module, kind=kind)


def test_it_shows_one_exercise_with_room_to_write(client, make_module):
    module = make_module()
    plan = _exercise(module, Exercise.Kind.PLAN)
    response = client.get(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/")
    assert response.status_code == 200
    page = text(response.content)
    assert "Write your plan." in page
    assert "What brought you here?" not in page
    assert "Print" in page
    assert len([e for e in elements(response.content, "span") if e.attrs.get("class") == "print-line"]) == 18


def test_a_rating_prints_as_a_scale_to_circle(client, make_module):
    module = make_module()
    rating = _exercise(module, Exercise.Kind.RATING)
    page = text(client.get(f"/en/modules/making-a-plan/exercises/{rating.pk}/print/").content)
    assert "Circle one" in page
    assert "0 = Not at all" in page


def test_it_works_without_javascript(client, make_module):
    module = make_module()
    plan = _exercise(module, Exercise.Kind.PLAN)
    html = client.get(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/").content.decode()
    tools = next(e for e in elements(html) if "data-print-tools" in e.attrs)
    assert "hidden" in tools.attrs  # the button appears only when JavaScript can press Print
    assert "Ctrl" in text(html)
    assert 'media="print"' in html


def test_it_404s_an_exercise_of_another_module(client, make_module):
    make_module()
    other = make_module("other-module")
    plan = _exercise(other, Exercise.Kind.PLAN)
    assert client.get(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/").status_code == 404


def test_it_404s_an_exercise_of_an_unpublished_module(client, make_module):
    module = make_module(status=Status.DRAFT)
    plan = _exercise(module, Exercise.Kind.PLAN)
    assert client.get(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/").status_code == 404


def test_it_sets_no_cookies(client, make_module):
    module = make_module()
    plan = _exercise(module, Exercise.Kind.PLAN)
    assert_sets_no_cookies(client.get(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/"))


def test_it_rejects_post(client, make_module):
    module = make_module()
    plan = _exercise(module, Exercise.Kind.PLAN)
    assert client.post(f"/en/modules/making-a-plan/exercises/{plan.pk}/print/").status_code == 405
