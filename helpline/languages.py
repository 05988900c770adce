"""The languages the service offers, by the names people read them under."""

from django.conf import settings


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)
