from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from helpline.demo import load_demo
from helpline.staff.demo import DEFAULT_BASE_URL
from resources.demo import load_demo_content


class Command(BaseCommand):
    help = "Load demo self-help content and demo staff logins (safe to run again)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Where the site is served, for the printed addresses (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in load_demo_content() + load_demo(options["base_url"]):
            self.stdout.write(line)
