"""The editors' and reviewers' workspace in the Django admin."""

import re

import pytest

from resources import actions
from resources.models import GuidedModule, Resource, Revision, Status
from tests.resources.pages import elements, form_fields, text

pytestmark = pytest.mark.django_db

RESOURCES = "/admin/resources/resource/"
MODULES = "/admin/resources/guidedmodule/"


def _workflow_buttons(response) -> list[str]:
    return [
        str(b.attrs["value"]) for b in elements(response.content, "button") if b.attrs.get("name") == "action"
    ]


def _action_choices(response) -> list[str]:
    options = [o for o in elements(response.content, "option") if "select" in o.ancestors]
    return [str(o.attrs["value"]) for o in options if o.attrs.get("value")]


def _submit_form(client, url, form_id, **changes):
    data = form_fields(client.get(url).content, form_id)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)


# -- who gets in -----------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(RESOURCES)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_helpline_staff_cannot_open_the_library(staffer_client, make_resource):
    resource = make_resource()
    assert staffer_client.get(RESOURCES).status_code == 403
    assert staffer_client.get(f"{RESOURCES}{resource.pk}/change/").status_code == 403


# -- editors ---------------------------------------------------------------------------------------


def test_an_editor_writes_a_new_draft_and_it_is_recorded(editor_client, editor, category):
    response = _submit_form(
        editor_client,
        f"{RESOURCES}add/",
        "resource_form",
        title="A new piece",
        slug="a-new-piece",
        summary="About something.",
        category=str(category.pk),
        body="Some **words**.",
    )
    assert response.status_code == 302, text(response.content)[:2000]
    resource = Resource.objects.get(slug="a-new-piece")
    assert resource.status == Status.DRAFT
    assert resource.body_html == "<p>Some <strong>words</strong>.</p>"
    revision = resource.revisions.get()
    assert (revision.user, revision.action, revision.status) == (editor, "created", "draft")
    assert {"title", "slug", "summary", "category", "body"} <= set(revision.changed_fields)


def test_an_editor_edit_records_only_the_changed_fields(editor_client, editor, make_resource):
    draft = make_resource("in-progress", status=Status.DRAFT)
    url = f"{RESOURCES}{draft.pk}/change/"
    response = _submit_form(editor_client, url, "resource_form", body="Better words.")
    assert response.status_code == 302
    revision = draft.revisions.get()
    assert (revision.user_name, revision.action, revision.changed_fields) == ("erin", "edited", ["body"])
    assert revision.snapshot["body"] == "Better words."


def test_an_editor_cannot_change_status_through_the_form(editor_client, make_resource):
    draft = make_resource("in-progress", status=Status.DRAFT)
    url = f"{RESOURCES}{draft.pk}/change/"
    _submit_form(editor_client, url, "resource_form", status="published")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_sees_only_the_submit_button_and_uses_it(editor_client, make_resource):
    draft = make_resource("in-progress", status=Status.DRAFT)
    page = editor_client.get(f"{RESOURCES}{draft.pk}/change/")
    assert _workflow_buttons(page) == ["submit"]
    response = editor_client.post(f"{RESOURCES}{draft.pk}/workflow/", {"action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_an_editor_who_forges_a_publish_gets_an_error_and_nothing_changes(editor_client, make_resource):
    item = make_resource("in-review", status=Status.IN_REVIEW)
    response = editor_client.post(f"{RESOURCES}{item.pk}/workflow/", {"action": "publish"}, follow=True)
    assert "Only reviewers may publish" in text(response.content)
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW


def test_the_editors_list_offers_no_publishing_actions(editor_client, make_resource):
    make_resource()
    choices = _action_choices(editor_client.get(RESOURCES))
    assert "submit_selected" in choices
    assert "publish_selected" not in choices
    assert "unpublish_selected" not in choices


def test_published_content_is_read_only_for_an_editor(editor_client, make_resource):
    live = make_resource("live", title="Live piece")
    page = editor_client.get(f"{RESOURCES}{live.pk}/change/")
    assert page.status_code == 200
    assert "Published content is locked" in text(page.content)
    assert not [e for e in elements(page.content, "textarea") if e.attrs.get("name") == "body"]
    response = editor_client.post(f"{RESOURCES}{live.pk}/change/", {"title": "Sneaky edit", "body": "x"})
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.title == "Live piece"


def test_an_editor_cannot_delete_content(editor_client, make_resource):
    draft = make_resource("in-progress", status=Status.DRAFT)
    assert editor_client.get(f"{RESOURCES}{draft.pk}/delete/").status_code == 403


# -- reviewers -------------------------------------------------------------------------------------


def test_a_reviewer_publishes_from_the_items_page(reviewer_client, reviewer, make_resource):
    item = make_resource("in-review", status=Status.IN_REVIEW)
    page = reviewer_client.get(f"{RESOURCES}{item.pk}/change/")
    assert _workflow_buttons(page) == ["publish", "return"]
    response = reviewer_client.post(f"{RESOURCES}{item.pk}/workflow/", {"action": "publish"}, follow=True)
    assert "is published" in text(response.content)
    item.refresh_from_db()
    assert item.is_public()
    assert item.revisions.get().user == reviewer


def test_a_reviewer_publishes_many_from_the_list(reviewer_client, make_resource):
    first = make_resource("first", status=Status.IN_REVIEW)
    second = make_resource("second", status=Status.IN_REVIEW)
    response = reviewer_client.post(
        RESOURCES, {"action": "publish_selected", "_selected_action": [first.pk, second.pk], "index": 0}
    )
    assert response.status_code == 302
    assert set(Resource.objects.published()) == {first, second}


def test_a_reviewer_unpublishes_from_the_list(reviewer_client, make_resource):
    live = make_resource("live")
    reviewer_client.post(
        RESOURCES, {"action": "unpublish_selected", "_selected_action": [live.pk], "index": 0}
    )
    live.refresh_from_db()
    assert live.status == Status.UNPUBLISHED


def test_a_reviewer_reads_but_cannot_edit(reviewer_client, make_resource):
    item = make_resource("in-review", title="Original", status=Status.IN_REVIEW)
    assert reviewer_client.get(f"{RESOURCES}{item.pk}/change/").status_code == 200
    response = reviewer_client.post(f"{RESOURCES}{item.pk}/change/", {"title": "Reviewer edit"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Original"


def test_the_workflow_url_rejects_get(reviewer_client, make_resource):
    item = make_resource("in-review", status=Status.IN_REVIEW)
    assert reviewer_client.get(f"{RESOURCES}{item.pk}/workflow/").status_code == 405


def test_the_workflow_url_404s_for_an_unknown_action(reviewer_client, make_resource):
    item = make_resource("in-review", status=Status.IN_REVIEW)
    assert reviewer_client.post(f"{RESOURCES}{item.pk}/workflow/", {"action": "explode"}).status_code == 404


# -- history and preview ---------------------------------------------------------------------------


def test_the_items_page_shows_its_history_and_a_preview_link(editor_client, editor, reviewer, make_resource):
    from resources import actions

    item = make_resource("in-progress", status=Status.DRAFT)
    actions.do_submit_for_review(item, editor)
    page = editor_client.get(f"{RESOURCES}{item.pk}/change/")
    page_text = text(page.content)
    assert "Revision history" in page_text or "revision history" in page_text
    assert "Submitted for review" in page_text
    assert "erin" in page_text
    hrefs = {a.attrs.get("href") for a in elements(page.content, "a")}
    assert f"/en/self-help/preview/resource/{item.pk}/" in hrefs


def test_a_published_item_links_to_its_public_page(reviewer_client, make_resource):
    live = make_resource("live")
    hrefs = {
        a.attrs.get("href")
        for a in elements(reviewer_client.get(f"{RESOURCES}{live.pk}/change/").content, "a")
    }
    assert "/en/self-help/live/" in hrefs


def test_the_revision_list_is_read_only(editor_client, editor, make_resource):
    from resources import actions

    item = make_resource("in-progress", status=Status.DRAFT)
    revision = actions.do_submit_for_review(item, editor)
    assert editor_client.get("/admin/resources/revision/").status_code == 200
    page = editor_client.get(f"/admin/resources/revision/{revision.pk}/change/")
    assert page.status_code == 200
    assert "In progress" in text(page.content)  # the snapshot
    assert (
        editor_client.post(f"/admin/resources/revision/{revision.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Revision.objects.filter(pk=revision.pk).exists()


# -- modules ---------------------------------------------------------------------------------------


def test_an_editor_changes_a_step_and_the_module_history_says_so(editor_client, make_module):
    module = make_module(status=Status.DRAFT)
    url = f"{MODULES}{module.pk}/change/"
    data = form_fields(editor_client.get(url).content, "guidedmodule_form")
    first_title = next(name for name in data if name.endswith("-0-title") and name.startswith("steps"))
    data[first_title] = ["Where you are starting from"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, text(response.content)[:3000]
    assert module.steps.get(order=1).title == "Where you are starting from"
    revision = module.revisions.get()
    assert revision.changed_fields == ["module steps"]
    assert revision.snapshot["steps"][0]["title"] == "Where you are starting from"


def test_a_published_modules_steps_are_locked_to_editors(editor_client, make_module):
    module = make_module()
    step = module.steps.get(order=1)
    page = editor_client.get(f"{MODULES}{module.pk}/change/")
    assert not [
        e for e in elements(page.content, "textarea") if (e.attrs.get("name") or "").endswith("-body")
    ]
    assert (
        editor_client.post(f"/admin/resources/modulestep/{step.pk}/change/", {"title": "x"}).status_code
        == 403
    )


def test_an_editor_edits_a_steps_exercises_on_the_steps_page(editor_client, make_module):
    module = make_module(status=Status.DRAFT)
    step = module.steps.get(order=2)
    url = f"/admin/resources/modulestep/{step.pk}/change/"
    data = form_fields(editor_client.get(url).content, "modulestep_form")
    prompt = next(name for name in data if name.endswith("-0-prompt"))
    data[prompt] = ["Write your plan for risky moments."]
    response = editor_client.post(url, data)
    assert response.status_code == 302, text(response.content)[:3000]
    assert response["Location"] == f"{MODULES}{module.pk}/change/"
    assert step.exercises.get().prompt == "Write your plan for risky moments."
    assert GuidedModule.objects.get().revisions.get().changed_fields == ["exercises"]


# -- versions in other languages -------------------------------------------------------------------


def test_an_editor_writes_the_dutch_version_of_an_article(editor_client, make_resource):
    original = make_resource("talking-helps", title="Talking helps")
    page = editor_client.get(f"{RESOURCES}{original.pk}/change/").content.decode()
    add_link = next(
        str(a.attrs["href"])
        for a in elements(page, "a")
        if a.text.strip().startswith("Add a version of this text")
    )
    assert f"translation_of={original.pk}" in add_link and f"category={original.category_id}" in add_link

    response = _submit_form(
        editor_client,
        add_link,
        "resource_form",
        title="Praten helpt",
        slug="praten-helpt",
        summary="Over praten.",
        language="nl",
        body="Je kunt [met ons praten](/chat/).",
    )
    assert response.status_code == 302, text(response.content)[:2000]
    dutch = Resource.objects.get(slug="praten-helpt")
    assert (dutch.translation_of, dutch.language, dutch.category) == (original, "nl", original.category)
    assert 'href="/nl/chat/"' in dutch.body_html
    assert "Nederlands: Praten helpt" in text(editor_client.get(f"{RESOURCES}{original.pk}/change/").content)

    # A second Dutch version of the same text is refused, in words the editor understands.
    response = _submit_form(
        editor_client,
        add_link,
        "resource_form",
        title="Nog een",
        slug="nog-een",
        summary="x",
        language="nl",
        body="x",
    )
    assert response.status_code == 200
    assert "There is already a version of this text in that language." in text(response.content)


def test_the_admin_home_shows_a_reviewer_what_waits_for_review(
    editor, reviewer, reviewer_client, make_resource
):
    """Reviewers see their queue on the first page they open: each submitted text, linked to its form."""
    waiting = make_resource("someone-you-trust", title="Talking to someone you trust", status=Status.DRAFT)
    make_resource("already-out", title="Already out there")  # published: not waiting
    actions.do_submit_for_review(waiting, editor)
    index = reviewer_client.get("/admin/").content.decode()
    queue = re.search(r'<div class="module review-queue" id="review-queue">.*?</table>', index, re.S)
    assert queue, "the admin home has a review queue"
    words = " ".join(re.sub(r"<[^>]+>", " ", queue.group(0)).split())
    assert "Waiting for review: 1 text" in words
    assert "Talking to someone you trust" in words and "Already out there" not in words
    assert f'href="/admin/resources/resource/{waiting.pk}/change/"' in queue.group(0)


def test_the_admin_home_has_no_review_queue_for_those_who_cannot_publish(
    editor, editor_client, make_resource
):
    waiting = make_resource("someone-you-trust", title="Talking to someone you trust", status=Status.DRAFT)
    actions.do_submit_for_review(waiting, editor)
    assert "review-queue" not in editor_client.get("/admin/").content.decode()
