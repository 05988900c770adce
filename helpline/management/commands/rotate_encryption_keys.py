# ruff: noqa: S608  (table and column names come from model metadata, never from input)
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from config.encryption import EncryptedTextField, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the newest key in ENCRYPTION_KEYS (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        quote = connection.ops.quote_name
        for model in apps.get_models():
            table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
            for field in model._meta.get_fields():
                if not isinstance(field, EncryptedTextField):
                    continue
                column = quote(str(field.column))
                select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
                update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"
                total = model._default_manager.count()
                done, last_id = 0, None
                while True:
                    # Raw SQL in batches: stored tokens are rewritten without loading whole models.
                    with transaction.atomic(), connection.cursor() as cursor:
                        if last_id is None:
                            cursor.execute(f"SELECT MIN({pk}) - 1 FROM {table}")
                            last_id = cursor.fetchone()[0] or 0
                        cursor.execute(select, [last_id, BATCH])
                        rows = cursor.fetchall()
                        for row_id, stored in rows:
                            if stored is not None:
                                cursor.execute(update, [rotate(stored), row_id])
                    if not rows:
                        break
                    last_id, done = rows[-1][0], done + len(rows)
                    if options["verbosity"]:
                        self.stdout.write(
                            f"{model._meta.label}.{field.name}: {done}/{total} rows re-encrypted"
                        )
        if options["verbosity"]:
            self.stdout.write("All encrypted text now uses the newest key.")
