"""The words the site's scripts show, gathered from each room so every page can carry them in its own
language (templates/_js_texts.html, static/js/texts.js).

Each module named in JS_TEXT_MODULES has a TEXTS dict of key → gettext_lazy(...). Keys are shared by
all scripts, so each begins with its room ("chat.", "staff.", "resources.")."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.module_loading import import_string

JS_TEXT_MODULES = (
    "resources.js_texts.TEXTS",
    "helpline.chat.js_texts.TEXTS",
    "helpline.staff.js_texts.TEXTS",
    "helpline.inbox.js_texts.TEXTS",
)


@functools.cache
def all_texts() -> Mapping[str, str | Promise]:
    gathered: dict[str, str | Promise] = {}
    for dotted in JS_TEXT_MODULES:
        module_texts: Mapping[str, str | Promise] = import_string(dotted)
        clash = gathered.keys() & module_texts.keys()
        if clash:
            raise ValueError(f"{dotted} repeats script text keys {sorted(clash)}")
        gathered.update(module_texts)
    return gathered


def js_texts(request: HttpRequest) -> dict[str, object]:
    # Lazy strings: each is translated as the page is drawn, in the language active for that page.
    return {"js_texts": all_texts()}
