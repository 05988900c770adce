import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from resources.demo import load_demo_content
from resources.localised import url_in
from resources.models import Category, Exercise, GuidedModule, ModuleStep, Resource

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Category, Resource, GuidedModule, ModuleStep, Exercise))


def test_it_loads_published_categories_resources_and_a_module():
    lines = load_demo_content()
    assert lines and all(isinstance(line, str) for line in lines)
    assert set(Category.objects.values_list("name", flat=True)) == {
        "Worried about your own thoughts",
        "Worried about someone else",
        "Staying safe online",
        "Getting support",
    }
    assert 6 <= Resource.objects.published().filter(language="en").count() <= 8
    module = GuidedModule.objects.published().filter(language="en").get()
    steps = list(module.steps.all())
    assert 4 <= len(steps) <= 5
    kinds = [e.kind for step in steps for e in step.exercises.all()]
    assert kinds[0] == Exercise.Kind.RATING and Exercise.Kind.RATING in kinds[-2:], (
        "a self-rating at start and end"
    )
    assert Exercise.Kind.PLAN in kinds
    assert Exercise.Kind.REFLECTION in kinds


def test_running_it_twice_creates_no_duplicates_and_keeps_exercise_ids():
    load_demo_content()
    first = _counts()
    exercise_ids = list(Exercise.objects.order_by("pk").values_list("pk", flat=True))
    load_demo_content()
    assert _counts() == first
    assert list(Exercise.objects.order_by("pk").values_list("pk", flat=True)) == exercise_ids


def test_the_load_demo_command_runs_it(capsys):
    call_command("load_demo")
    assert "Self-help library" in capsys.readouterr().out
    assert Resource.objects.published().exists()


def test_every_demo_page_opens(client):
    load_demo_content()
    for item in [*Resource.objects.all(), *GuidedModule.objects.all()]:
        assert client.get(url_in(item, item.language)).status_code == 200, item.slug
    for category in Category.objects.all():
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                assert client.get(category.get_absolute_url()).status_code == 200


def test_the_demo_invents_no_phone_numbers_or_outside_addresses():
    load_demo_content()
    texts = [r.body + r.summary for r in Resource.objects.all()]
    texts += [module.objectives for module in GuidedModule.objects.all()]
    texts += [s.body for s in ModuleStep.objects.all()]
    texts += [e.prompt + e.help_text for e in Exercise.objects.all()]
    for body in texts:
        assert not re.search(r"\d{3}[\s-]?\d{3,}", body), "looks like a phone number"
        assert "http://" not in body and "https://" not in body and "www." not in body
        assert "@" not in body
    links = [link for body in texts for link in re.findall(r"\]\(([^)]+)\)", body)]
    assert links and all(link.startswith("/") for link in links)


def test_every_internal_link_in_the_demo_leads_somewhere(client):
    load_demo_content()
    pages = [r.body_html for r in Resource.objects.all()] + [s.body_html for s in ModuleStep.objects.all()]
    links = {link for html in pages for link in re.findall(r'href="(/[^"]*)"', html)}
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
