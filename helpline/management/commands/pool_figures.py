import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helpline.stats.pooling import PoolingError, pool


class Command(BaseCommand):
    help = (
        "Add several helplines' pooling files (/staff/stats/figures.json, docs/pooling.md) into one "
        "network file, printed as JSON. Suppressed cells stay suppressed; suppression is applied again "
        "to the sums."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="The helplines' JSON files.")
        parser.add_argument(
            "--threshold",
            type=int,
            default=0,
            help="Suppress sums below this too (the largest of this and the files' thresholds is used).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            documents = [json.loads(path.read_text(encoding="utf-8")) for path in options["files"]]
            network = pool(documents, options["threshold"])
        except PoolingError as error:
            raise CommandError(str(error)) from error
        except (OSError, ValueError, KeyError, TypeError) as error:  # unreadable, or not this format
            raise CommandError(f"Cannot add these files up: {error!r}") from error
        self.stdout.write(json.dumps(network, indent=2, ensure_ascii=False))
