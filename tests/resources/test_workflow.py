"""The publishing workflow in resources.actions: who may move content where, and what is recorded."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from resources import actions
from resources.models import GuidedModule, Resource, Revision, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_resource):
    return make_resource("in-progress", status=Status.DRAFT)


def _history(item) -> list[tuple[str, str, str]]:
    return [(r.action, r.user_name, r.status) for r in item.revisions.order_by("created", "id")]


def test_an_editor_submits_a_draft_for_review(editor, draft):
    actions.do_submit_for_review(draft, editor)
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert _history(draft) == [("submitted", "erin", "in_review")]


def test_an_editor_cannot_publish(editor, draft):
    actions.do_submit_for_review(draft, editor)
    with pytest.raises(PermissionDenied):
        actions.do_publish(draft, editor)
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert not Resource.objects.published().exists()


def test_a_reviewer_publishes_content_in_review(editor, reviewer, draft):
    actions.do_submit_for_review(draft, editor)
    before = timezone.now()
    revision = actions.do_publish(draft, reviewer)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.publish_at is not None and draft.publish_at >= before
    assert Resource.objects.published().get() == draft
    assert revision.user == reviewer
    assert revision.user_name == "rafa"
    assert revision.action == Revision.Action.PUBLISHED
    assert set(revision.changed_fields) == {"status", "publish_at"}
    assert revision.snapshot["title"] == draft.title
    assert revision.snapshot["body"] == draft.body


def test_a_reviewer_cannot_publish_a_draft_that_skipped_review(reviewer, draft):
    with pytest.raises(actions.WorkflowError):
        actions.do_publish(draft, reviewer)


def test_a_reviewer_cannot_submit_for_review(reviewer, draft):
    with pytest.raises(PermissionDenied):
        actions.do_submit_for_review(draft, reviewer)


def test_helpline_staff_can_do_nothing(staffer, draft):
    for action in (actions.do_submit_for_review, actions.do_publish, actions.do_return_to_draft):
        with pytest.raises(PermissionDenied):
            action(draft, staffer)
    assert draft.revisions.count() == 0


def test_scheduled_content_is_hidden_until_its_time(editor, reviewer, draft, monkeypatch):
    draft.publish_at = timezone.now() + datetime.timedelta(days=1)
    draft.save()
    actions.do_submit_for_review(draft, editor)
    revision = actions.do_publish(draft, reviewer)
    assert revision.action == Revision.Action.SCHEDULED
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.is_scheduled()
    assert not Resource.objects.published().exists()
    assert Resource.objects.published(now=timezone.now() + datetime.timedelta(days=2)).get() == draft


def test_a_past_publish_at_means_publish_now(editor, reviewer, draft):
    draft.publish_at = timezone.now() - datetime.timedelta(days=30)
    draft.save()
    actions.do_submit_for_review(draft, editor)
    actions.do_publish(draft, reviewer)
    draft.refresh_from_db()
    assert draft.publish_at > timezone.now() - datetime.timedelta(minutes=1)


def test_a_reviewer_unpublishes_and_it_disappears(reviewer, make_resource):
    live = make_resource("live")
    actions.do_unpublish(live, reviewer)
    live.refresh_from_db()
    assert live.status == Status.UNPUBLISHED
    assert not Resource.objects.published().exists()
    assert _history(live) == [("unpublished", "rafa", "unpublished")]


def test_an_editor_cannot_unpublish(editor, make_resource):
    live = make_resource("live")
    with pytest.raises(PermissionDenied):
        actions.do_unpublish(live, editor)


def test_unpublished_content_can_go_back_to_draft_and_round_again(editor, reviewer, make_resource):
    item = make_resource("again", status=Status.UNPUBLISHED)
    actions.do_return_to_draft(item, reviewer)
    actions.do_submit_for_review(item, editor)
    actions.do_publish(item, reviewer)
    assert [a for a, _, _ in _history(item)] == ["returned", "submitted", "published"]


def test_a_reviewer_sends_content_in_review_back_to_draft(editor, reviewer, draft):
    actions.do_submit_for_review(draft, editor)
    actions.do_return_to_draft(draft, reviewer)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_withdraws_content_from_review(editor, draft):
    actions.do_submit_for_review(draft, editor)
    actions.do_return_to_draft(draft, editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_published_content_is_locked_to_editors(editor, reviewer, make_resource):
    live = make_resource("live")
    assert not actions.can_edit(editor, live)
    assert not actions.can_edit(reviewer, live)  # reviewers do not edit text at all
    with pytest.raises(PermissionDenied):
        actions.do_save_content(live, editor, ["body"], created=False)


def test_an_edit_is_recorded_with_who_and_which_fields(editor, draft):
    draft.body = "New words."
    draft.save()
    revision = actions.do_save_content(draft, editor, ["body"], created=False)
    assert (revision.user, revision.action, revision.changed_fields) == (editor, "edited", ["body"])
    assert revision.snapshot["body"] == "New words."


def test_the_history_keeps_the_name_when_the_account_is_removed(editor, draft):
    actions.do_submit_for_review(draft, editor)
    editor.delete()
    revision = draft.revisions.get()
    assert revision.user is None
    assert revision.user_name == "erin"


def test_a_module_snapshot_includes_its_steps_and_exercises(editor, reviewer, make_module):
    module = make_module(status=Status.DRAFT)
    actions.do_submit_for_review(module, editor)
    revision = actions.do_publish(module, reviewer)
    steps = revision.snapshot["steps"]
    assert [s["title"] for s in steps] == ["Where you start", "Your plan"]
    assert steps[1]["exercises"] == [{"kind": "plan", "prompt": "Write your plan."}]
    assert GuidedModule.objects.published().get() == module


def test_the_workflow_offers_each_person_only_their_buttons(editor, reviewer, draft):
    assert actions.allowed_workflow_actions(draft, editor) == ["submit"]
    assert actions.allowed_workflow_actions(draft, reviewer) == []
    actions.do_submit_for_review(draft, editor)
    draft.refresh_from_db()
    assert actions.allowed_workflow_actions(draft, editor) == ["return"]
    assert actions.allowed_workflow_actions(draft, reviewer) == ["publish", "return"]
    actions.do_publish(draft, reviewer)
    draft.refresh_from_db()
    assert actions.allowed_workflow_actions(draft, editor) == []
    assert actions.allowed_workflow_actions(draft, reviewer) == ["unpublish"]


def test_a_rolled_back_change_leaves_no_history(editor, draft, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "record_revision", broken)
    with pytest.raises(RuntimeError):
        actions.do_submit_for_review(draft, editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
