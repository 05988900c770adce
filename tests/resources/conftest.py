"""Personas and plain content factories for the self-help library's tests.

- an anonymous seeker: the plain `client`
- Erin, an editor: writes content, cannot publish
- Rafa, a reviewer: publishes, does not edit
- Hana, a helpline staffer: answers chats, has nothing to do with library content
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from resources.models import Category, Exercise, GuidedModule, ModuleStep, Resource, Status

PASSWORD = "a-long-test-password"


def _staff_user(django_user_model: Any, username: str, group: str) -> Any:
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def editor(django_user_model):
    return _staff_user(django_user_model, "erin", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    return _staff_user(django_user_model, "rafa", "Reviewers")


@pytest.fixture
def staffer(django_user_model):
    return _staff_user(django_user_model, "hana", "Helpline staff")


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor) -> Client:
    return _logged_in(editor)


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return _logged_in(reviewer)


@pytest.fixture
def staffer_client(staffer) -> Client:
    return _logged_in(staffer)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="Getting support", slug="getting-support", description="Help.")


def _publishing(status: str, publish_at: datetime.datetime | None) -> dict[str, Any]:
    if status == Status.PUBLISHED and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(minutes=1)
    return {"status": status, "publish_at": publish_at}


@pytest.fixture
def make_resource(category) -> Callable[..., Resource]:
    def make(
        slug: str = "talking-helps",
        *,
        title: str | None = None,
        status: str = Status.PUBLISHED,
        publish_at: datetime.datetime | None = None,
        **fields: Any,
    ) -> Resource:
        fields.setdefault("category", category)
        fields.setdefault("summary", "Why talking to someone helps.")
        fields.setdefault("body", "Talking to someone who will not judge you often brings relief.")
        return Resource.objects.create(
            slug=slug,
            title=title or slug.replace("-", " ").capitalize(),
            **_publishing(status, publish_at),
            **fields,
        )

    return make


@pytest.fixture
def make_module(db) -> Callable[..., GuidedModule]:
    def make(
        slug: str = "making-a-plan",
        *,
        status: str = Status.PUBLISHED,
        publish_at: datetime.datetime | None = None,
        **fields: Any,
    ) -> GuidedModule:
        fields.setdefault("title", "Making a plan")
        fields.setdefault("summary", "Write a plan for difficult moments.")
        fields.setdefault("objectives", "- know your warning signs\n- write a plan")
        module = GuidedModule.objects.create(slug=slug, **_publishing(status, publish_at), **fields)
        first = ModuleStep.objects.create(module=module, order=1, title="Where you start", body="Notice.")
        Exercise.objects.create(
            step=first,
            order=1,
            kind=Exercise.Kind.RATING,
            prompt="How confident do you feel?",
            min_label="Not at all",
            max_label="Completely",
        )
        Exercise.objects.create(
            step=first, order=2, kind=Exercise.Kind.REFLECTION, prompt="What brought you here?"
        )
        second = ModuleStep.objects.create(module=module, order=2, title="Your plan", body="Write it down.")
        Exercise.objects.create(step=second, order=1, kind=Exercise.Kind.PLAN, prompt="Write your plan.")
        return module

    return make
