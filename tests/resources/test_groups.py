"""The groups created by the data migration hold exactly their permissions."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

CONTENT = ["category", "resource", "guidedmodule", "modulestep", "exercise"]


def _codenames(name: str) -> set[str]:
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_editors_write_content_but_cannot_publish_or_delete_it():
    editors = _codenames("Editors")
    assert {f"{a}_{m}" for m in CONTENT for a in ("add", "change", "view")} <= editors
    assert {"delete_modulestep", "delete_exercise", "view_revision"} <= editors
    assert (
        not {"publish_resource", "publish_guidedmodule", "delete_resource", "delete_guidedmodule"} & editors
    )
    assert not {c for c in editors if c.endswith("_revision") and c != "view_revision"}


def test_reviewers_publish_and_read_but_do_not_edit():
    reviewers = _codenames("Reviewers")
    assert reviewers == {f"view_{m}" for m in CONTENT} | {
        "view_revision",
        "publish_resource",
        "publish_guidedmodule",
    }


def test_library_groups_hold_only_library_permissions():
    for name in ("Editors", "Reviewers"):
        group = Group.objects.get(name=name)
        assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {"resources"}
