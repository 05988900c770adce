"""Every change to library content goes through here.

Each `do_*` function checks that the user may make the change, writes it in one transaction with a
Revision saying who did what, and invalidates the public page cache once the change is committed
(so a reader never sees a page that was rolled back, and never waits for an edit to show).

Who may do what:
- Editors (change permission) write content and submit it for review; they cannot publish, and
  content that is published or scheduled is locked to them, so an edit cannot go live unreviewed.
- Reviewers (the publish_* permission) publish, schedule, unpublish and return content to draft.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from resources import caching
from resources.models import Category, Publishable, Revision, Status


class WorkflowError(Exception):
    """A change that the item's current status does not allow (e.g. publishing a draft)."""


# --- permission checks --------------------------------------------------------------------------


def _perm(item: Publishable | type[Publishable], action: str) -> str:
    return f"resources.{action}_{item._meta.model_name}"


def can_publish(user: Any, item: Publishable | type[Publishable]) -> bool:
    return bool(user.is_active and user.has_perm(item.PUBLISH_PERMISSION))


def can_edit(user: Any, item: Publishable) -> bool:
    """May this user change the item's text? Published and scheduled items only by a publisher."""
    if not (user.is_active and user.has_perm(_perm(item, "change"))):
        return False
    return item.status not in (Status.PUBLISHED,) or can_publish(user, item)


def can_preview(user: Any, item: Publishable | type[Publishable]) -> bool:
    """Staff who work on content may see it before the public does; nobody else knows it exists."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return bool(
        user.has_perm(_perm(item, "view")) or user.has_perm(_perm(item, "change")) or can_publish(user, item)
    )


def check_can_edit(user: Any, item: Publishable) -> None:
    if not can_edit(user, item):
        raise PermissionDenied(gettext("You may not change this content."))


def check_can_publish(user: Any, item: Publishable) -> None:
    if not can_publish(user, item):
        raise PermissionDenied(gettext("Only reviewers may publish or unpublish content."))


# --- revisions and cache ------------------------------------------------------------------------


def record_revision(
    item: Publishable,
    user: Any,
    action: str,
    changed_fields: Iterable[str] = (),
) -> Revision:
    """Write one line of history with a snapshot of the item's text as it is now."""
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        user=user if getattr(user, "is_authenticated", False) else None,
        user_name=user.get_username() if getattr(user, "is_authenticated", False) else "system",
        action=action,
        status=item.status,
        changed_fields=sorted(set(changed_fields)),
        snapshot=item.snapshot(),
    )


def _content_changed_on_commit(item: Publishable) -> None:
    """Public pages may show this item (now, or later): drop cached pages after the commit."""
    publish_at = item.publish_at
    transaction.on_commit(caching.bump_content_generation)
    if item.is_scheduled() and publish_at is not None:
        transaction.on_commit(lambda: caching.schedule_generation_bump(publish_at))


def _set_status(item: Publishable, status: str, **fields: Any) -> list[str]:
    changed = ["status"]
    item.status = status
    for name, value in fields.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    item.save(update_fields=[*changed, "updated"])
    return changed


def _locked(item: Publishable) -> Publishable:
    """The item re-read under a row lock, so two reviewers cannot both move it at once."""
    return type(item).objects.select_for_update().get(pk=item.pk)


# --- state changes ------------------------------------------------------------------------------


def do_save_content(
    item: Publishable, user: Any, changed_fields: Iterable[str], *, created: bool
) -> Revision:
    """Check and record an edit saved in the caller's transaction (the admin's), which a refusal undoes.

    Status is not a form field, so the saved item's status is the one the edit was made under.
    """
    with transaction.atomic():
        if created:
            if not (user.is_active and user.has_perm(_perm(item, "add"))):
                raise PermissionDenied(gettext("You may not add content."))
        else:
            check_can_edit(user, item)
        action = Revision.Action.CREATED if created else Revision.Action.EDITED
        revision = record_revision(item, user, action, changed_fields)
        if item.status == Status.PUBLISHED:
            _content_changed_on_commit(item)
    return revision


def do_save_category(category: Category, user: Any, *, created: bool) -> None:
    """Categories are not reviewed (they hold no reading of their own), but they appear on public pages."""
    action = "add" if created else "change"
    if not (user.is_active and user.has_perm(f"resources.{action}_category")):
        raise PermissionDenied(gettext("You may not change categories."))
    with transaction.atomic():
        category.save()
        transaction.on_commit(caching.bump_content_generation)


def do_submit_for_review(item: Publishable, user: Any) -> Revision:
    with transaction.atomic():
        item = _locked(item)
        check_can_edit(user, item)
        if item.status not in (Status.DRAFT, Status.UNPUBLISHED):
            raise WorkflowError(
                gettext("“%(title)s” is %(status)s; only drafts go to review.")
                % {"title": item, "status": str(item.get_status_display()).lower()}
            )
        changed = _set_status(item, Status.IN_REVIEW)
        return record_revision(item, user, Revision.Action.SUBMITTED, changed)


def do_publish(item: Publishable, user: Any, publish_at: datetime.datetime | None = None) -> Revision:
    """Publish now, or at publish_at (given here or already on the item) if that is in the future."""
    with transaction.atomic():
        item = _locked(item)
        check_can_publish(user, item)
        if item.status not in (Status.IN_REVIEW, Status.UNPUBLISHED):
            raise WorkflowError(
                gettext("“%(title)s” is %(status)s; only content in review can be published.")
                % {"title": item, "status": str(item.get_status_display()).lower()}
            )
        now = timezone.now()
        when = publish_at or item.publish_at
        if when is None or when < now:
            when = now
        changed = _set_status(item, Status.PUBLISHED, publish_at=when)
        action = Revision.Action.SCHEDULED if when > now else Revision.Action.PUBLISHED
        revision = record_revision(item, user, action, changed)
        _content_changed_on_commit(item)
        return revision


def do_unpublish(item: Publishable, user: Any) -> Revision:
    with transaction.atomic():
        item = _locked(item)
        check_can_publish(user, item)
        if item.status != Status.PUBLISHED:
            raise WorkflowError(gettext("“%(title)s” is not published.") % {"title": item})
        changed = _set_status(item, Status.UNPUBLISHED)
        revision = record_revision(item, user, Revision.Action.UNPUBLISHED, changed)
        transaction.on_commit(caching.bump_content_generation)
        return revision


def do_return_to_draft(item: Publishable, user: Any) -> Revision:
    """A reviewer sends content back for more work, or an editor withdraws it from review."""
    with transaction.atomic():
        item = _locked(item)
        if not (can_edit(user, item) or can_publish(user, item)):
            raise PermissionDenied(gettext("You may not change this content."))
        if item.status == Status.UNPUBLISHED:
            check_can_publish(user, item)
        elif item.status != Status.IN_REVIEW:
            raise WorkflowError(
                gettext("“%(title)s” is %(status)s; it cannot go back to draft.")
                % {"title": item, "status": str(item.get_status_display()).lower()}
            )
        changed = _set_status(item, Status.DRAFT)
        return record_revision(item, user, Revision.Action.RETURNED, changed)


WORKFLOW_ACTIONS = {
    "submit": do_submit_for_review,
    "publish": do_publish,
    "unpublish": do_unpublish,
    "return": do_return_to_draft,
}


def allowed_workflow_actions(item: Publishable, user: Any) -> list[str]:
    """The workflow buttons this user may press for this item now."""
    allowed = []
    if item.status in (Status.DRAFT, Status.UNPUBLISHED) and can_edit(user, item):
        allowed.append("submit")
    if item.status in (Status.IN_REVIEW, Status.UNPUBLISHED) and can_publish(user, item):
        allowed.append("publish")
    if item.status == Status.PUBLISHED and can_publish(user, item):
        allowed.append("unpublish")
    if (item.status == Status.IN_REVIEW and (can_edit(user, item) or can_publish(user, item))) or (
        item.status == Status.UNPUBLISHED and can_publish(user, item)
    ):
        allowed.append("return")
    return allowed
