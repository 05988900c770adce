"""Groups for the people who write and approve library content, each with only what it needs.

Editors write content and send it for review; they cannot publish. Reviewers read everything and
publish, schedule or unpublish it; they do not edit text, so every published word has been read by a
second person (someone who must do both is put in both groups). Helpline staff and supervisors get
their groups from the helpline app.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["category", "resource", "guidedmodule", "modulestep", "exercise"]

GROUP_PERMISSIONS = {
    "Editors": (
        [f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "view")]
        # Steps and exercises are parts of a module being written: removing one is editing it.
        + ["delete_modulestep", "delete_exercise", "view_revision"]
    ),
    "Reviewers": (
        [f"view_{model}" for model in CONTENT_MODELS]
        + ["view_revision", "publish_resource", "publish_guidedmodule"]
    ),
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    app_config = apps.get_app_config("resources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        permissions = list(Permission.objects.filter(content_type__app_label="resources", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions not found for group {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
