from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group

from config.celery import app as celery_app
from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, Availability, StaffProfile


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks inline; tests/helpline/test_celery_worker.py uses a real worker instead."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def make_staff(django_user_model) -> Callable[..., StaffProfile]:
    def make(
        username: str = "sam",
        *,
        display_name: str | None = None,
        languages: list[str] | None = None,
        max_chats: int = 3,
        available: bool = True,
        supervisor: bool = False,
        **extra: Any,
    ) -> StaffProfile:
        user = django_user_model.objects.create_user(username, password="a-long-test-password")
        # get_or_create: transactional tests flush the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
        if supervisor:
            user.groups.add(Group.objects.get_or_create(name=SUPERVISOR_GROUP)[0])
        return StaffProfile.objects.create(
            user=user,
            display_name=display_name or username.title(),
            languages=languages or ["en"],
            max_chats=max_chats,
            availability=Availability.AVAILABLE if available else Availability.OFFLINE,
            **extra,
        )

    return make
