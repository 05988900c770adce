"""The words the site's scripts show, gathered from each room so every page can carry them in its own
language: /<language>/script-texts.js (templates/_js_texts.html loads it before static/js/texts.js).
A served script rather than JSON inside the page, so pages keep no inline script at all (the Content
Security Policy allows none) and the texts are cached once per language instead of sent with each page.

Each module named in JS_TEXT_MODULES has a TEXTS dict of key → gettext_lazy(...). Keys are shared by
all scripts, so each begins with its room ("chat.", "staff.", "resources.")."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

SCRIPT_TEXTS_MAX_AGE = 10 * 60

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


@require_safe
def script_texts(request: HttpRequest) -> HttpResponse:
    """window.OPEN_DOOR_TEXTS for the URL's language (the lazy strings translate as this is drawn)."""
    body = (
        "window.OPEN_DOOR_TEXTS = "
        + json.dumps(all_texts(), cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
        + ";\n"
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=SCRIPT_TEXTS_MAX_AGE)
    return response
