from typing import Any

from django.core.management.base import BaseCommand

from helpline.demo import load_demo_staff
from resources.demo import load_demo_content


class Command(BaseCommand):
    help = "Load demo self-help content and demo staff logins (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in load_demo_content() + load_demo_staff():
            self.stdout.write(line)
