"""The demo's key pieces in every other language of the site, linked to their English originals.

Translated: the four topics (names and descriptions), the home page's featured pieces (including the
"Getting support" topic's "What happens when you contact us") and the guided module. The versions
here are shorter than the English: they keep each piece's meaning, its order and its links, and
leave out some of the detail, so that a reader in every language has something real to start with.

Written to the same rules as the English: supportive, non-judgemental, plain language, never
explicit; kinds of help only, never a phone number, website, organisation or person. Links to the
site are written without a language (/chat/) and lead to the reader's language.

One module per language holds that language's text, so a translator reads and edits one file.
"""

from __future__ import annotations

from typing import Any

from resources.demo.translations import ar, de, es, fr, nl, ro

# language → {"categories": {slug: (name, description)}, "resources": {english slug: text},
#             "module": text}
TRANSLATIONS: dict[str, dict[str, Any]] = {
    "nl": nl.TRANSLATION,
    "de": de.TRANSLATION,
    "fr": fr.TRANSLATION,
    "es": es.TRANSLATION,
    "ro": ro.TRANSLATION,
    "ar": ar.TRANSLATION,
}
