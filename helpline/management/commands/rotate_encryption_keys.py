# ruff: noqa: S608  (table and column names come from model metadata, never from input)
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from config.encryption import EncryptedTextField, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the newest key in ENCRYPTION_KEYS (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = bool(options["verbosity"])
        for model, field in encrypted_fields():
            self.rotate_column(model, field, verbose)
        if verbose:
            self.stdout.write("All encrypted text now uses the newest key.")

    def rotate_column(self, model: type[models.Model], field: EncryptedTextField, verbose: bool) -> None:
        """Re-encrypt one column, a batch at a time, saying after each batch how far it has got."""
        column = EncryptedColumn(model, field)
        total = model._default_manager.count()
        done, last_id = 0, column.id_before_first()
        while ids := column.rotate_batch(after_id=last_id):
            last_id, done = ids[-1], done + len(ids)
            if verbose:
                self.stdout.write(f"{model._meta.label}.{field.name}: {done}/{total} rows re-encrypted")


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model, as (model, field)."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


class EncryptedColumn:
    """The SQL that walks one encrypted column in primary-key order."""

    def __init__(self, model: type[models.Model], field: EncryptedTextField) -> None:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        pk = quote(str(model._meta.pk.column))
        column = quote(str(field.column))
        self.first = f"SELECT MIN({pk}) - 1 FROM {table}"
        self.select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
        self.update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"

    def id_before_first(self) -> Any:
        """An id below every row's, so the first batch starts at the first row (0 for an empty table)."""
        with connection.cursor() as cursor:
            cursor.execute(self.first)
            return cursor.fetchone()[0] or 0

    def rotate_batch(self, after_id: Any) -> list[Any]:
        """Re-encrypt the next BATCH rows after `after_id` in one transaction; their ids, in order."""
        # Raw SQL in batches: stored tokens are rewritten without loading whole models.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.select, [after_id, BATCH])
            rows = cursor.fetchall()
            rotated = [[rotate(stored), row_id] for row_id, stored in rows if stored is not None]
            for params in rotated:
                cursor.execute(self.update, params)
        return [row_id for row_id, _ in rows]
