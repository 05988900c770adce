"""The translation catalogues: compiled in Python (Babel), so a fresh machine needs no gettext tools.

locale/<language>/LC_MESSAGES/django.po is the source, kept in git; the .mo files Django reads are
built from it by `make run` and `make test` (python -m config.catalogues) and are never committed. A
catalogue's header says how far its review has come (REVIEW_HEADER); the admin's language page shows it."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
REVIEW_HEADER = "X-Review-Status"


def catalogue_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Writes each .mo that is missing or older than its .po; returns those written."""
    written = []
    for po_path in catalogue_files(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)  # fuzzy entries stay out, as msgfmt leaves them
        written.append(mo_path)
    return written


@dataclass(frozen=True)
class CatalogueStatus:
    language: str
    total: int
    translated: int
    fuzzy: int
    review: str

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


def catalogue_status(locale_dir: Path = LOCALE_DIR) -> list[CatalogueStatus]:
    statuses = []
    for po_path in catalogue_files(locale_dir):
        language = po_path.parts[-3]
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=language)
        messages = [m for m in catalogue if m.id]
        translated = [m for m in messages if not m.fuzzy and _has_text(m.string)]
        # Babel keeps only the headers it knows, so the review line is read from the file itself.
        review_line = re.search(rf'^"{REVIEW_HEADER}: (.*?)\\n"$', po_path.read_text("utf-8"), re.MULTILINE)
        review = review_line.group(1) if review_line else ""
        statuses.append(
            CatalogueStatus(
                language=language,
                total=len(messages),
                translated=len(translated),
                fuzzy=sum(1 for m in messages if m.fuzzy),
                review=review,
            )
        )
    return statuses


def _has_text(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


if __name__ == "__main__":
    for path in compile_catalogues(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
