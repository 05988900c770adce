from django.db import migrations

STAFF_PERMISSIONS = []  # helpline staff work in the console, not the admin
SUPERVISOR_PERMISSIONS = [
    ("helpline", "cannedresponse", ["add", "change", "view", "delete"]),
    ("helpline", "staffprofile", ["view", "change"]),
]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="Helpline staff")
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    for app_label, model, actions in SUPERVISOR_PERMISSIONS:
        for action in actions:
            supervisors.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Helpline staff", "Supervisors"]).delete()


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
