"""The admin home's "Waiting for review": texts an editor has submitted, oldest first, for the people
who may publish them (the admin index template, templates/admin/index.html)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.urls import reverse

from resources.models import GuidedModule, Resource, Status

register = template.Library()


@dataclass(frozen=True)
class Waiting:
    title: str
    kind: str
    language: str
    since: datetime
    url: str


@register.simple_tag
def waiting_for_review(user: PermissionsMixin | AnonymousUser) -> list[Waiting]:
    waiting: list[Waiting] = []
    for model in (Resource, GuidedModule):
        meta = model._meta
        if not user.has_perm(model.PUBLISH_PERMISSION):
            continue
        for item in model.objects.filter(status=Status.IN_REVIEW).order_by("updated"):
            waiting.append(
                Waiting(
                    title=item.title,
                    kind=str(meta.verbose_name),
                    language=item.language,
                    since=item.updated,
                    url=reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk]),
                )
            )
    return sorted(waiting, key=lambda w: w.since)
