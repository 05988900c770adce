"""Public pages cost the same few queries however much content there is (caching aside)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Category, Exercise, ModuleStep

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/en/self-help/",
    "/en/self-help/topics/getting-support/",
    "/en/modules/",
    "/en/modules/making-a-plan/",
]


def _queries(client, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _grow(make_resource, module, start: int, count: int) -> None:
    first = make_resource(f"piece-{start}")
    for number in range(start + 1, start + count):
        other = Category.objects.create(name=f"Topic {number}", slug=f"topic-{number}", order=number)
        resource = make_resource(f"piece-{number}", category=other, featured=True)
        resource.related.add(first)
        step = ModuleStep.objects.create(
            module=module, order=10 + number, title=f"Step {number}", body="Read."
        )
        Exercise.objects.create(step=step, kind=Exercise.Kind.REFLECTION, prompt="Think.")


@pytest.mark.parametrize("path", [*PAGES, "/en/self-help/piece-0/", "/en/search/?q=talking"])
def test_queries_do_not_grow_with_content(client, make_resource, make_module, path):
    module = make_module()
    _grow(make_resource, module, 0, 2)
    few = _queries(client, path)
    _grow(make_resource, module, 2, 10)
    assert _queries(client, path) == few
    assert few <= 6
