"""The page, the CSV and the JSON show the same cells for the same choice; nothing hidden in them can be
worked out by subtraction from everything they publish for a day (a checker tries, and is shown to
succeed when complementary suppression is switched off); days, weeks and months add up; the JSON is
what docs/pooling.md says it is; and the downloads are as restricted as the page."""

import csv
import io
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from helpline.models import DailyCount
from helpline.stats import figures, tallies

pytestmark = pytest.mark.django_db(transaction=True)

POOLING_DOC = Path(__file__).resolve().parents[3] / "docs" / "pooling.md"
CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def supervisor(make_staff) -> Client:
    client = Client()
    client.force_login(make_staff("alex", supervisor=True).user)
    return client


def seed_languages(days: int, seed: int = 5, scale: float = 1.0) -> None:
    """A quiet service: small numbers per language, counted for each language and for all of them."""
    dice = random.Random(seed)
    today = timezone.localdate()
    counts: dict[tuple[date, str], int] = {}
    for back in range(days):
        day = today - timedelta(days=back)
        for code in CODES:
            answered = int(dice.randint(0, 9) * scale)
            waits = [0] * len(tallies.WAIT_BUCKETS)
            for _ in range(answered):
                waits[dice.choice((0, 0, 1, 1, 2, 3))] += 1
            values = {
                tallies.CHATS_ANSWERED: answered,
                tallies.CHATS_ABANDONED: dice.choice((0, 0, 1, 2, 6)),
                tallies.CHATS_CLOSED_WAITING: dice.choice((0, 0, 0, 1)),
                tallies.TURNED_AWAY_CLOSED: dice.choice((0, 3, 8)),
                tallies.TURNED_AWAY_FULL: dice.choice((0, 0, 0, 2)),
                tallies.SECURE_RECEIVED: dice.choice((0, 1, 4)),
                tallies.FEEDBACK_FORMS: answered // 3,
                "wrap_up.outcome.substantive": answered // 2,
                **{
                    tallies.wait_answered(b): n for (b, _), n in zip(tallies.WAIT_BUCKETS, waits, strict=True)
                },
            }
            values[tallies.CHATS_STARTED] = answered + values[tallies.CHATS_ABANDONED]
            for name, value in values.items():
                for counted in (name, tallies.language_name(code, name)):
                    counts[(day, counted)] = counts.get((day, counted), 0) + value
    DailyCount.objects.bulk_create(
        [DailyCount(day=day, name=name, value=value) for (day, name), value in counts.items() if value]
    )


# --- reading what is published -----------------------------------------------------------------


def value_of(published) -> int | str:
    """A JSON value: the number, or the suppression marker ("small", "complementary", "pooled")."""
    if isinstance(published, int):
        return published
    assert set(published) == {"suppressed"}
    assert published["suppressed"] in ("small", "complementary", "pooled")
    return published["suppressed"]


def mark_of(published) -> str:
    if isinstance(published, int):
        return str(published)
    return "<5" if published["suppressed"] == "small" else "x"


def page_mark(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text).strip()
    if text == "fewer than 5":
        return "<5"
    if text == "not shown":
        return "x"
    return text.replace(",", "")


def download(client: Client, kind: str, until: date, by: str, language: str = ""):
    return client.get(
        f"/staff/stats/figures.{kind}", {"until": until.isoformat(), "by": by, "language": language}
    )


def published_cells(client: Client, until: date) -> tuple[dict, dict]:
    """Everything the JSON files of one day say, as {cell: value or None}, and its true values are not
    needed: a cell is (language, (first, last), key), so the same days seen in two groupings are one
    cell, as a reader would take them."""
    known: dict = {}
    structure: dict = {}
    for by in figures.GROUPINGS:
        for language in ["", *CODES]:
            document = json.loads(download(client, "json", until, by, language).content)
            name = language or "all"
            blocks = [document["range"], *document["periods"]]
            structure[(by, name)] = (
                [(b["first"], b["last"]) for b in document["periods"]],
                (
                    document["range"]["first"],
                    document["range"]["last"],
                ),
            )
            for block in blocks:
                for key, published in block["figures"].items():
                    cell = (name, (block["first"], block["last"]), key)
                    value = value_of(published)
                    # Two files may show the same cell: if either shows it, the reader has it.
                    if not isinstance(known.get(cell), int):
                        known[cell] = value
            for code, row in document.get("languages", {}).items():
                for key, published in row.items():
                    cell = (code, (document["range"]["first"], document["range"]["last"]), key)
                    if not isinstance(known.get(cell), int):
                        known[cell] = value_of(published)
    return known, structure


def sums_a_reader_can_check(known: dict, structure: dict) -> list:
    """Every "total = parts" the published files state or imply."""
    sums = []
    spans = {span for (_language, span, _key) in known}
    missed_parts = figures.MISSED_PARTS
    for language in ["all", *CODES]:
        for span in spans:
            if (language, span, "missed") in known:
                sums.append(((language, span, "missed"), tuple((language, span, k) for k in missed_parts)))
    for (_by, language), (periods, range_) in structure.items():
        for key in figures.MEASURE_KEYS:
            sums.append(((language, range_, key), tuple((language, p, key) for p in periods)))
        buckets = tuple((language, range_, name) for name in figures.WAIT_ANSWERED)
        sums.append(((language, range_, "answered"), buckets))
    # The languages add up to all languages; "unrecorded" is 0 here (every count has its language),
    # and a careful reader knows it from the files: the range's "unrecorded" row shows 0.
    for language, span, key in list(known):
        if language == "all" and all((code, span, key) in known for code in CODES):
            unrecorded = ("unrecorded", span, key)
            known.setdefault(unrecorded, 0)
            sums.append(((language, span, key), (*((code, span, key) for code in CODES), unrecorded)))
    # A week or month whose days are all shown as days is their sum.
    day_spans = {first for (first, last) in spans if first == last}
    for first, last in spans:
        days = [
            date.fromisoformat(first) + timedelta(days=n)
            for n in range((date.fromisoformat(last) - date.fromisoformat(first)).days + 1)
        ]
        if len(days) > 1 and all(d.isoformat() in day_spans for d in days):
            for language in ["all", *CODES]:
                for key in figures.MEASURE_KEYS:
                    if (language, (first, last), key) in known:
                        parts = tuple((language, (d.isoformat(), d.isoformat()), key) for d in days)
                        sums.append(((language, (first, last), key), parts))
    return sums


def worked_out(known: dict, sums: list) -> dict:
    """Solve every sum with exactly one unknown term, again and again, as a reader with a
    spreadsheet would. Returns each hidden cell found, with its value. (What a reader knows of a
    hidden cell's size is tried in test_suppression.py, on sums made to test it.)"""
    known = {cell: (value if isinstance(value, int) else None) for cell, value in known.items()}
    found = {}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            cells = (total, *parts)
            if any(cell not in known for cell in cells):
                continue
            unknown = [cell for cell in cells if known[cell] is None]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            if cell == total:
                value = sum(known[p] for p in parts)
            else:
                value = known[total] - sum(known[p] for p in parts if p != cell)
            known[cell] = found[cell] = value
            changed = True
    return found


# --- the tests -----------------------------------------------------------------------------------


def test_nothing_hidden_can_be_worked_out_from_everything_published_for_a_day(supervisor):
    seed_languages(400)
    today = timezone.localdate()
    known, structure = published_cells(supervisor, today)
    hidden = [cell for cell, value in known.items() if not isinstance(value, int)]
    assert len(hidden) > 50, "the seed must give the checker small counts to look for"
    assert worked_out(known, sums_a_reader_can_check(known, structure)) == {}


def test_the_checker_finds_small_counts_when_only_primary_suppression_is_applied(supervisor, monkeypatch):
    seed_languages(400)
    monkeypatch.setattr(figures, "_groups", lambda canon, details: [])
    known, structure = published_cells(supervisor, timezone.localdate())
    found = worked_out(known, sums_a_reader_can_check(known, structure))
    assert found, "a checker that never finds anything proves nothing"
    assert all(0 < value < 5 for value in found.values())


@pytest.mark.parametrize("by", figures.GROUPINGS)
@pytest.mark.parametrize("language", ["", "nl"])
def test_the_page_the_csv_and_the_json_show_the_same_cells(supervisor, by, language):
    seed_languages(400, seed=11)
    today = timezone.localdate()
    document = json.loads(download(supervisor, "json", today, by, language).content)
    from_json = [
        [mark_of(block["figures"][k]) for k in figures.MEASURE_KEYS] for block in document["periods"]
    ]
    from_json.append([mark_of(document["range"]["figures"][k]) for k in figures.MEASURE_KEYS])
    rows = list(csv.reader(io.StringIO(download(supervisor, "csv", today, by, language).content.decode())))
    assert [row[4:] for row in rows[1:]] == from_json
    assert [row[1:3] for row in rows[1:-1]] == [[b["first"], b["last"]] for b in document["periods"]]

    page = supervisor.get("/staff/stats/", {"until": today.isoformat(), "by": by, "language": language})
    text = page.content.decode()
    table = re.search(r'<section aria-labelledby="periods-title">(.*?)</section>', text, re.S)
    assert table is not None
    page_rows = [
        [page_mark(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)][: len(figures.MEASURE_KEYS)]
        for row in re.findall(r"<tr[^>]*><th scope=\"row\">.*?</tr>", table.group(1), re.S)
    ]
    # The page lists the newest period first, then the total.
    assert page_rows == [*reversed(from_json[:-1]), from_json[-1]]
    if language == "":
        languages = re.search(r'<section aria-labelledby="languages-title">(.*?)</section>', text, re.S)
        assert languages is not None
        shown = [
            [page_mark(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)][
                : len(figures.LANGUAGE_TABLE_KEYS)
            ]
            for row in re.findall(r"<tr[^>]*><th scope=\"row\">.*?</tr>", languages.group(1), re.S)
        ]
        expected = [
            [mark_of(document["languages"][code][k]) for k in figures.LANGUAGE_TABLE_KEYS]
            for code in [*CODES, "unrecorded"]
        ]
        expected.append([mark_of(document["range"]["figures"][k]) for k in figures.LANGUAGE_TABLE_KEYS])
        assert shown == expected
    assert "fewer than 5" in text and "x" not in [c for row in page_rows for c in row if c == "5"]


def test_days_weeks_and_months_add_up(supervisor, settings):
    settings.HELPLINE = {**settings.HELPLINE, "STATS_SMALL_COUNT": 1}  # every count shown
    today = timezone.localdate()
    seed_languages(400, seed=3)
    started = dict(DailyCount.objects.filter(name=tallies.CHATS_STARTED).values_list("day", "value"))

    def from_file(by: str) -> list[tuple[date, date, int]]:
        document = json.loads(download(supervisor, "json", today, by).content)
        return [
            (date.fromisoformat(b["first"]), date.fromisoformat(b["last"]), b["figures"]["started"])
            for b in document["periods"]
        ]

    def days_between(first: date, last: date) -> int:
        return sum(started.get(first + timedelta(days=n), 0) for n in range((last - first).days + 1))

    days, weeks, months = from_file("day"), from_file("week"), from_file("month")
    assert len(days) == 28 and len(weeks) == 13 and len(months) == 12
    assert all(value == days_between(first, last) for first, last, value in days + weeks + months)
    assert all(first.weekday() == 0 for first, _last, _v in weeks)
    assert all(first.day == 1 for first, _last, _v in months)
    assert weeks[-1][1] == months[-1][1] == today  # the current week and month "so far"
    page = supervisor.get("/staff/stats/", {"by": "month"}).content.decode()
    assert "(so far)" in page


def test_the_json_is_what_docs_pooling_says(supervisor, settings):
    settings.SERVICE_COUNTRY = "NL"
    seed_languages(60, seed=2)
    doc = POOLING_DOC.read_text()
    document_keys = re.findall(r"^\| `(\w+)` \| (?:string|integer|object|block|list of blocks) \|", doc, re.M)
    measure_section = doc.split("### Measure keys")[1].split("###")[0]
    measure_keys = re.findall(r"^\| `(\w+)` \|", measure_section, re.M)
    detail_section = doc.split("### Detail keys")[1].split("\n## ")[0]
    detail_keys = set()
    for pattern, values in re.findall(r"^\| `([^`]+)` \| (.*) \|$", detail_section, re.M):
        if pattern == "feedback.<question>.<answer>":
            questions, answers = values.split(";")
            detail_keys |= {
                f"feedback.{q}.{a}"
                for q in re.findall(r"`(\w+)`", questions)
                for a in re.findall(r"`(\w+)`", answers)
            }
        else:
            prefix = pattern.split("<")[0]
            detail_keys |= {prefix + value for value in re.findall(r"`([\w+-]+)`", values)}
    assert measure_keys == list(figures.MEASURE_KEYS)
    assert detail_keys == set(figures.detail_names())

    for by, periods in (("day", 28), ("week", 13), ("month", 12)):
        for language in ("", "de"):
            response = download(supervisor, "json", timezone.localdate(), by, language)
            assert response["Content-Type"].startswith("application/json")
            document = json.loads(response.content)
            expected_keys = set(document_keys) - ({"languages"} if language else set())
            assert set(document) == expected_keys
            assert document["format"] == "open-door-figures" and document["version"] == "1.0"
            assert document["service"] == {"name": settings.SERVICE_NAME, "country": "NL"}
            assert document["grouping"] == by and document["language"] == (language or "all")
            assert document["threshold"] == 5
            assert len(document["periods"]) == periods
            for block in [document["range"], *document["periods"]]:
                assert set(block) == {"first", "last", "complete", "figures"}
                assert date.fromisoformat(block["first"]) <= date.fromisoformat(block["last"])
                assert isinstance(block["complete"], bool)
                for value in block["figures"].values():
                    assert (isinstance(value, int) and value >= 0) or value_of(value) in (
                        "small",
                        "complementary",
                    )
            assert list(document["range"]["figures"]) == [*measure_keys, *figures.detail_names()]
            assert all(list(block["figures"]) == measure_keys for block in document["periods"])
            if not language:
                assert set(document["languages"]) == {*CODES, "unrecorded"}
                assert all(
                    list(row) == list(figures.LANGUAGE_TABLE_KEYS) for row in document["languages"].values()
                )
            # What it never contains: words, names, campaigns.
            text = response.content.decode()
            assert "alex" not in text.lower() and "campaign" not in text


def test_the_downloads_are_as_restricted_as_the_page(make_staff):
    for url in ("/staff/stats/figures.json", "/staff/stats/figures.csv", "/staff/stats/?by=month"):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/staff/login/")
        staff = Client()
        staff.force_login(make_staff(f"sam{len(url)}").user)
        assert staff.get(url).status_code == 403
        admin = Client()
        admin.force_login(
            User.objects.get_or_create(username="root", defaults={"is_superuser": True, "is_staff": True})[0]
        )
        assert admin.get(url).status_code == 200


def test_choices_are_plain_links_that_keep_the_chosen_day(supervisor):
    until = (timezone.localdate() - timedelta(days=40)).isoformat()
    text = supervisor.get("/staff/stats/", {"until": until, "by": "week", "language": "nl"}).content.decode()
    assert f'href="?until={until}&amp;by=month&amp;language=nl"' in text
    assert f'href="?until={until}&amp;by=week"' in text  # all languages
    assert f'href="?until={until}&amp;by=week&amp;language=ar"' in text
    assert ">Dutch</a>" in text and ">Arabic</a>" in text  # named in the reader's language
    assert 'aria-current="true">By week<' in text
    # Nonsense is ignored, not an error.
    assert supervisor.get("/staff/stats/", {"by": "fortnight", "language": "xx"}).status_code == 200


def test_every_wide_table_scrolls_inside_its_box(supervisor):
    seed_languages(30)
    text = supervisor.get("/staff/stats/").content.decode()
    tables = text.count("<table")
    assert tables > 5
    assert len(re.findall(r'<div class="table-scroll"[^>]*>\s*<table', text)) == tables
