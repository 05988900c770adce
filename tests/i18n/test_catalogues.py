"""The translation catalogues themselves: complete, not fuzzy, placeholders intact, Arabic with all
six plural forms, honest about their review, current with the marked strings in the code, and
compiled by config.catalogues into files Django really reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django.test import Client

from config.catalogues import LOCALE_DIR, REVIEW_HEADER, compile_catalogues

REPO = LOCALE_DIR.parent
TRANSLATED = ["nl", "de", "fr", "es", "ro", "ar"]
REVIEW_STATUS = "awaiting review by a native-speaking helpline worker"
PLACEHOLDER = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdifr%])")


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def load(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    with po_path(language, locale_dir).open("rb") as po_file:
        return read_po(po_file, locale=language)


def _forms(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def _shown(message: object) -> str:
    return repr(_forms(message.id)[0])  # type: ignore[attr-defined]


def test_every_language_has_a_catalogue():
    assert sorted(p.parts[-3] for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")) == sorted(TRANSLATED)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str):
    catalogue = load(language)
    messages = [m for m in catalogue if m.id]
    untranslated = [_shown(m) for m in messages if not all(_forms(m.string))]
    fuzzy = [_shown(m) for m in messages if m.fuzzy]
    assert not untranslated and not fuzzy, (
        f"{language}: {len(untranslated)} of {len(messages)} entries untranslated, {len(fuzzy)} fuzzy.\n"
        f"Untranslated: {untranslated}\nFuzzy: {fuzzy}"
    )


def _placeholders(texts: list[str]) -> set[tuple[str, str]]:
    return {(name or "", kind) for text in texts for name, kind in PLACEHOLDER.findall(text) if kind != "%"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language: str):
    """Babel's own checks (python-format, the number of plural forms), and for every entry, flagged
    or not: the translation fills in exactly the values the English does."""
    catalogue = load(language)
    problems = [f"{_shown(m)}: {'; '.join(map(str, errors))}" for m, errors in catalogue.check()]
    for message in catalogue:
        translations = [s for s in _forms(message.string) if s]
        if not message.id or not translations:
            continue
        english = _placeholders(_forms(message.id))
        translated = _placeholders(translations)
        if english != translated:
            problems.append(f"{_shown(message)}: placeholders {sorted(english)} became {sorted(translated)}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


def test_arabic_has_six_plural_forms():
    catalogue = load("ar")
    assert catalogue.num_plurals == 6
    assert "nplurals=6;" in catalogue.plural_forms.replace(" ", "")


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_says_it_awaits_review(language: str):
    # Babel keeps only the headers it knows, so the line is read from the file (as the admin does).
    header = f'"{REVIEW_HEADER}: {REVIEW_STATUS}\\n"'
    assert header in po_path(language).read_text("utf-8")


# --- current with the code --------------------------------------------------------------------------

GATHER_TOOLS = ("xgettext", "msgmerge", "msguniq")
# What `makemessages` is told to leave out, as in the preamble's command and the Makefile.
NOT_GATHERED = (".venv", "var", "bench", "tests", ".git", "node_modules", "__pycache__", "*.mo")


def test_the_catalogues_hold_every_marked_string(tmp_path: Path):
    """makemessages, run on a copy of the code, finds no marked string the catalogues lack."""
    missing_tools = [tool for tool in GATHER_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing_tools)}): cannot gather strings")
    copy = tmp_path / "site"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(*NOT_GATHERED), symlinks=True)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [f"-l{language}" for language in TRANSLATED]
    command += [f"--ignore={ignored}" for ignored in (".venv", "var", "bench", "tests")]
    gathered = subprocess.run(
        command, cwd=copy, env=os.environ.copy(), capture_output=True, text=True, timeout=300, check=False
    )
    assert gathered.returncode == 0, gathered.stderr
    problems = []
    for language in TRANSLATED:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in load(language) if m.id}
        marked = {m.id if isinstance(m.id, str) else m.id[0] for m in load(language, copy / "locale") if m.id}
        absent = sorted(marked - have)
        if absent:
            problems.append(f"{language}: {len(absent)} marked strings are not in the catalogue: {absent}")
    assert not problems, (
        "Run `make messages` (or the makemessages command in the README) and translate:\n"
        + "\n".join(problems)
    )


# --- compiled, and used ------------------------------------------------------------------------------

SAMPLE = "Quick exit"  # marked in templates/base.html, on every public page
SAMPLE_DUTCH = "Snel weg"  # a stand-in for whatever the real catalogue says: the test owns its copy


def test_compiled_catalogues_are_what_django_reads(tmp_path: Path, settings, db):
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    catalogue = load("nl", locale_dir)
    message = catalogue[SAMPLE]
    assert message is not None, f"{SAMPLE!r} is no longer in the Dutch catalogue; pick another sample"
    message.string = SAMPLE_DUTCH
    message.flags.discard("fuzzy")
    with po_path("nl", locale_dir).open("wb") as po_file:
        write_po(po_file, catalogue)

    written = compile_catalogues(locale_dir)
    assert sorted(p.parts[-3] for p in written) == sorted(TRANSLATED)
    assert all(p.suffix == ".mo" and p.stat().st_size > 0 for p in written)
    assert compile_catalogues(locale_dir) == [], "an up-to-date .mo is left alone"

    settings.LOCALE_PATHS = [locale_dir]  # Django forgets the translations it had loaded
    page = Client().get("/nl/browse-safely/")
    assert page.status_code == 200
    assert SAMPLE_DUTCH in page.content.decode()
    english = Client().get("/en/browse-safely/").content.decode()
    assert SAMPLE in english and SAMPLE_DUTCH not in english


def test_a_fuzzy_translation_is_not_used(tmp_path: Path, settings, db):
    """A guess marked fuzzy stays out of the compiled file, as msgfmt leaves it: English shows."""
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    catalogue = load("nl", locale_dir)
    message = catalogue[SAMPLE]
    assert message is not None
    message.string = SAMPLE_DUTCH
    message.flags.add("fuzzy")
    with po_path("nl", locale_dir).open("wb") as po_file:
        write_po(po_file, catalogue)
    compile_catalogues(locale_dir, force=True)
    settings.LOCALE_PATHS = [locale_dir]
    page = Client().get("/nl/browse-safely/").content.decode()
    # The quick exit's own link (other sentences may contain the same words).
    assert f"data-quick-exit-link>{SAMPLE}<" in page
    assert f"data-quick-exit-link>{SAMPLE_DUTCH}<" not in page
