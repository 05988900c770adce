"""Stored, indexed search documents (PostgreSQL only; SQLite keeps an empty column and searches plainly)."""

import django.contrib.postgres.search
from django.db import migrations

from resources.fulltext import document_expression

TABLES = {
    "resource": ("resources_resource", ("title", "summary", "body")),
    "guidedmodule": ("resources_guidedmodule", ("title", "summary", "objectives")),
}


def index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (table, fields) in TABLES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_document)"
        )
        apps.get_model("resources", model_name).objects.update(search_document=document_expression(*fields))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _fields in TABLES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_editor_and_reviewer_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidedmodule",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="resource",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_and_fill, drop_index),
    ]
