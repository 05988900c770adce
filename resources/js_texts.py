"""Words this room's scripts show (config/js_texts.py gathers them for templates/_js_texts.html)."""

from django.utils.functional import Promise

TEXTS: dict[str, Promise] = {}
