"""Staff who work on content see it before the public does; to anyone else it does not exist."""

import datetime

import pytest
from django.utils import timezone

from resources.models import Status
from tests.resources.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_resource):
    return make_resource(
        "in-progress", title="Work in progress", status=Status.DRAFT, body="Draft **words**."
    )


@pytest.fixture
def draft_module(make_module):
    return make_module(status=Status.IN_REVIEW, title="Module in review")


def test_an_editor_previews_a_draft(editor_client, draft):
    response = editor_client.get(f"/en/self-help/preview/resource/{draft.pk}/")
    assert response.status_code == 200
    page = text(response.content)
    assert "Work in progress" in page
    assert "Preview: this is not public." in page
    assert "<strong>words</strong>" in response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_reviewer_previews_a_module_in_review(reviewer_client, draft_module):
    response = reviewer_client.get(f"/en/self-help/preview/module/{draft_module.pk}/")
    assert response.status_code == 200
    assert "Module in review" in text(response.content)
    assert "Step 1 of 2" in text(response.content)


def test_preview_says_when_scheduled_content_goes_public(reviewer_client, make_resource):
    later = make_resource("later", publish_at=timezone.now() + datetime.timedelta(days=2))
    response = reviewer_client.get(f"/en/self-help/preview/resource/{later.pk}/")
    assert "Status: scheduled for" in text(response.content)


def test_preview_is_never_cached(editor_client, draft):
    response = editor_client.get(f"/en/self-help/preview/resource/{draft.pk}/")
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    draft.title = "Changed title"
    draft.save()
    assert "Changed title" in text(editor_client.get(f"/en/self-help/preview/resource/{draft.pk}/").content)


def test_it_404s_for_an_anonymous_seeker(client, draft, draft_module):
    assert client.get(f"/en/self-help/preview/resource/{draft.pk}/").status_code == 404
    assert client.get(f"/en/self-help/preview/module/{draft_module.pk}/").status_code == 404


def test_it_404s_for_helpline_staff_without_content_permissions(staffer_client, draft, draft_module):
    assert staffer_client.get(f"/en/self-help/preview/resource/{draft.pk}/").status_code == 404
    assert staffer_client.get(f"/en/self-help/preview/module/{draft_module.pk}/").status_code == 404


def test_it_404s_for_an_editor_who_is_not_staff(editor_client, editor, draft):
    editor.is_staff = False
    editor.save()
    assert editor_client.get(f"/en/self-help/preview/resource/{draft.pk}/").status_code == 404


def test_it_404s_for_an_editor_who_has_not_passed_the_second_factor(editor_client, draft):
    from django_otp import DEVICE_ID_SESSION_KEY

    session = editor_client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    assert editor_client.get(f"/en/self-help/preview/resource/{draft.pk}/").status_code == 404


def test_it_404s_an_unknown_id(editor_client):
    assert editor_client.get("/en/self-help/preview/resource/999999/").status_code == 404


def test_it_rejects_post(editor_client, draft):
    assert editor_client.post(f"/en/self-help/preview/resource/{draft.pk}/").status_code == 405
