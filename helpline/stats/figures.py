"""The figures supervisors and admins read: daily counts gathered into days, weeks, months and
languages, with small counts suppressed, and the cells that would give them away suppressed too.

Read-only, from helpline.models.DailyCount.

Primary suppression: every count from 1 to STATS_SMALL_COUNT - 1 is shown as "fewer than N" (tables,
charts and exports alike); zero is shown as zero.

Complementary (secondary) suppression: a table that shows a total and its parts is a sum, and a sum
with one hidden term gives that term away by subtraction. `suppress` (suppression.py) hides, for
every group "total = parts" the reader could add up, a second cell whenever the sum would pin a
hidden one to a single value, and repeats until none does. Such a cell is "not shown", never "fewer
than N" (it may well be 40).

Suppression is worked out once per last day (`Canon`), over everything any view of that day shows:
the 28 days, the 13 weeks and the 12 months ending there, their three totals, every language and all
languages together. The page, the CSV and the JSON read their cells from it, so a cell hidden in one
is hidden in all, whichever grouping or language is chosen. Shares (answered, replied within target)
are given only when every number behind them is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from helpline.chat import texts
from helpline.models import ChatSession, DailyCount, Escalation, WrapUp
from helpline.stats import tallies

# The fates of cells, read with the figures (the suppression itself knows nothing of helplines).
from helpline.stats.suppression import SHOWN as SHOWN
from helpline.stats.suppression import SMALL as SMALL
from helpline.stats.suppression import UNKNOWN as UNKNOWN
from helpline.stats.suppression import WITHHELD as WITHHELD
from helpline.stats.suppression import suppress as suppress

ALL = ""  # the language key of all languages together
UNRECORDED = "?"  # counted before languages were, or in a language no longer offered

GROUPINGS = ("day", "week", "month")
DAYS_SHOWN = 28
WEEKS_SHOWN = 13
MONTHS_SHOWN = 12


def small_count() -> int:
    return int(settings.HELPLINE["STATS_SMALL_COUNT"])


def offered_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language named in the reader's language ("Dutch", "néerlandais"), not in its own."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


@dataclass(frozen=True)
class Figure:
    value: int
    threshold: int
    withheld: bool = False

    @property
    def small(self) -> bool:
        # Zero is shown as zero: nobody can be singled out from no one, and a chart that drew 0 like
        # "fewer than 5" would tell a funder something happened that did not.
        return 0 < self.value < self.threshold and not self.withheld

    @property
    def hidden(self) -> bool:
        return self.withheld or self.small

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    @property
    def text(self) -> str:
        if self.withheld:
            return gettext("not shown")
        if self.small:
            return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}
        return f"{self.value:,}"

    @property
    def mark(self) -> str:
        """The cell in a spreadsheet: the number, "<5" for a small count, "x" for a withheld one."""
        if self.withheld:
            return "x"
        if self.small:
            return f"<{self.threshold}"
        return str(self.value)

    def __str__(self) -> str:
        return self.text


def figure(value: int) -> Figure:
    return Figure(value, small_count())


def share(part: Figure, whole: Figure) -> str:
    """ "82%", or "" unless both numbers are shown (a share and one number would give the other)."""
    if part.hidden or whole.hidden or whole.value <= 0:
        return ""
    return f"{round(100 * part.value / whole.value)}%"


# --- what a row is made of ----------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    names: tuple[str, ...]


MISSED_NAMES = (
    tallies.CHATS_ABANDONED,
    tallies.CHATS_CLOSED_WAITING,
    tallies.TURNED_AWAY_CLOSED,
    tallies.TURNED_AWAY_FULL,
)
MISSED_PARTS = ("abandoned", "closed_waiting", "turned_away_closed", "turned_away_full")
MEASURES = (
    Measure("started", _("Chats started"), (tallies.CHATS_STARTED,)),
    Measure("answered", _("Chats answered"), (tallies.CHATS_ANSWERED,)),
    Measure("abandoned", _("Left the queue before an answer"), (tallies.CHATS_ABANDONED,)),
    Measure("closed_waiting", _("Still waiting when we closed"), (tallies.CHATS_CLOSED_WAITING,)),
    Measure("turned_away_closed", _("Turned away: closed"), (tallies.TURNED_AWAY_CLOSED,)),
    Measure("turned_away_full", _("Turned away: queue full"), (tallies.TURNED_AWAY_FULL,)),
    Measure("missed", _("Missed contacts in all"), MISSED_NAMES),
    Measure("secure_received", _("Secure messages received"), (tallies.SECURE_RECEIVED,)),
    Measure("secure_in_target", _("Replied within target"), (tallies.SECURE_ANSWERED_IN_TARGET,)),
    Measure("secure_late", _("Replied after target"), (tallies.SECURE_ANSWERED_LATE,)),
    Measure("feedback_forms", _("Feedback forms"), (tallies.FEEDBACK_FORMS,)),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
# The per-language table: the volume, the missed, the secure messages and the forms of each language.
LANGUAGE_TABLE_KEYS = ("started", "answered", "missed", "secure_received", "feedback_forms")

CATEGORY_SOURCES = (
    (_("How contacts went"), "wrap_up.outcome", WrapUp.Outcome.choices),
    (_("Who the contact was about"), "wrap_up.about", WrapUp.About.choices),
    (_("What came up"), "wrap_up.topic", WrapUp.Topic.choices),
    (_("Protective actions agreed"), "wrap_up.protective_action", WrapUp.ProtectiveAction.choices),
    (_("How they heard of us"), "wrap_up.heard_from", WrapUp.HeardFrom.choices),
    (_("Escalations raised"), "escalation.reason", Escalation.Reason.choices),
    (_("Escalation decisions"), "escalation.decision", Escalation.Decision.choices),
    (_("Said at the start of a chat"), tallies.CHATS_TRIAGE, ChatSession.Triage.choices),
)
WAIT_ANSWERED = tuple(tallies.wait_answered(bucket) for bucket, _upper in tallies.WAIT_BUCKETS)
WAIT_MISSED = tuple(tallies.wait_missed(bucket) for bucket, _upper in tallies.WAIT_BUCKETS)


def detail_names() -> tuple[str, ...]:
    """Counters given only for a whole range: waits, wrap-up categories, escalations, feedback answers."""
    names = [*WAIT_ANSWERED, *WAIT_MISSED]
    names += [
        f"{prefix}.{value}" for _title, prefix, choices in CATEGORY_SOURCES for value, _label in choices
    ]
    names += [
        tallies.feedback_answer(question, answer)
        for question, _q in texts.FEEDBACK_QUESTIONS
        for answer, _a in texts.FEEDBACK_ANSWERS
    ]
    return tuple(names)


def total(counts: Mapping[str, int], names: Iterable[str]) -> int:
    return sum(counts.get(name, 0) for name in names)


# --- periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # "d:2026-11-30", "w:2026-11-23" (its Monday), "m:2026-11", "r:day" (a view's whole range)
    kind: str  # day, week, month or range
    first: date
    last: date  # the last day counted (the chosen day, for the period that holds it)
    complete: bool  # False for the period still under way ("so far")


def month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return month_start(first, -1) - timedelta(days=1)


def view_periods(grouping: str, until: date, today: date) -> list[Period]:
    """The periods of one grouping ending on `until`, the oldest first."""
    periods: list[Period] = []
    if grouping == "day":
        for back in range(DAYS_SHOWN - 1, -1, -1):
            day = until - timedelta(days=back)
            periods.append(Period(f"d:{day.isoformat()}", "day", day, day, day != today))
    elif grouping == "week":
        monday = until - timedelta(days=until.weekday())
        for back in range(WEEKS_SHOWN - 1, -1, -1):
            first = monday - timedelta(weeks=back)
            end = first + timedelta(days=6)
            last = min(end, until)
            complete = end <= until and end < today
            periods.append(Period(f"w:{first.isoformat()}", "week", first, last, complete))
    else:
        for back in range(MONTHS_SHOWN - 1, -1, -1):
            first = month_start(until, back)
            end = month_end(first)
            last = min(end, until)
            complete = end <= until and end < today
            periods.append(Period(f"m:{first:%Y-%m}", "month", first, last, complete))
    return periods


def period_label(period: Period) -> str:
    if period.kind == "day":
        # Day and month names in the reader's language ("Mon 23 Nov", "ma 23 nov").
        label = date_format(period.first, "D j M")
    elif period.kind == "week":
        label = gettext("Week of %(date)s") % {"date": date_format(period.first, "j M Y")}
    else:
        label = date_format(period.first, "F Y")
    if not period.complete and period.kind != "day":
        return gettext("%(period)s (so far)") % {"period": label}
    return label


def day_label(day: date) -> str:
    return date_format(day, "D j M")


# --- the canonical structure ----------------------------------------------------------------------

Cell = tuple[str, str, str]  # (language, period key, measure key or counter name)


def _split(
    rows: Iterable[tuple[str, str, int]], languages: set[str]
) -> dict[str, dict[tuple[str, str], int]]:
    """{period key: {(language, counter): value}}; campaigns and languages no longer offered left out."""
    counts: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for key, name, value in rows:
        language, base = tallies.split_language(name)
        if base.startswith(tallies.CAMPAIGN_PREFIX) or (language and language not in languages):
            continue
        counts[key][(language, base)] += value
    return counts


@dataclass
class Canon:
    """Every cell any view of the figures up to `until` shows, and what each one may show."""

    until: date
    today: date
    threshold: int
    languages: list[str]
    views: dict[str, list[Period]]
    ranges: dict[str, Period]
    values: dict[Cell, int] = field(default_factory=dict)
    status: dict[Cell, str] = field(default_factory=dict)
    groups: list[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=list)

    @property
    def all_languages(self) -> list[str]:
        return [ALL, *self.languages, UNRECORDED]

    def figure(self, language: str, period: Period, name: str) -> Figure:
        cell = (language, period.key, name)
        return Figure(self.values.get(cell, 0), self.threshold, self.status.get(cell) == WITHHELD)


def build_canon(until: date, today: date, threshold: int | None = None) -> Canon:
    threshold = small_count() if threshold is None else threshold
    languages = offered_languages()
    views = {grouping: view_periods(grouping, until, today) for grouping in GROUPINGS}
    ranges = {
        grouping: Period(f"r:{grouping}", "range", periods[0].first, until, all(p.complete for p in periods))
        for grouping, periods in views.items()
    }
    canon = Canon(until, today, threshold, languages, views, ranges)
    raw = _load(views, until, set(languages))
    measure_names = {m.key: m.names for m in MEASURES}
    details = detail_names()

    def fill(
        period: Period, counts: Mapping[tuple[str, str], int], names: dict[str, tuple[str, ...]]
    ) -> None:
        for key, counters in names.items():
            values = {
                language: sum(counts.get((language, c), 0) for c in counters)
                for language in [ALL, *languages]
            }
            for language, value in values.items():
                canon.values[(language, period.key, key)] = value
            # What no language accounts for: kept as a cell of its own, so the languages add up to all.
            unrecorded = values[ALL] - sum(values[code] for code in languages)
            canon.values[(UNRECORDED, period.key, key)] = max(0, unrecorded)

    for grouping, periods in views.items():
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for period in periods:
            counts = raw[grouping].get(period.key, {})
            fill(period, counts, measure_names)
            for pair, value in counts.items():
                summed[pair] += value
        fill(ranges[grouping], summed, {**measure_names, **{name: (name,) for name in details}})
    canon.groups = _groups(canon, details)
    canon.status = suppress(canon.values, canon.groups, threshold)
    return canon


def _load(views: dict[str, list[Period]], until: date, languages: set[str]) -> dict[str, dict]:
    """Each grouping's counts, summed by the database per period."""
    kept = DailyCount.objects.exclude(name__startswith=tallies.CAMPAIGN_PREFIX)
    days = kept.filter(day__range=(views["day"][0].first, until)).values_list("day", "name", "value")
    weeks = (
        kept.filter(day__range=(views["week"][0].first, until))
        .annotate(period=TruncWeek("day"))
        .values("period", "name")
        .annotate(n=Sum("value"))
        .values_list("period", "name", "n")
    )
    months = (
        kept.filter(day__range=(views["month"][0].first, until))
        .annotate(period=TruncMonth("day"))
        .values("period", "name")
        .annotate(n=Sum("value"))
        .values_list("period", "name", "n")
    )
    return {
        "day": _split(((f"d:{d.isoformat()}", n, v) for d, n, v in days), languages),
        "week": _split(((f"w:{_as_date(d).isoformat()}", n, v) for d, n, v in weeks), languages),
        "month": _split(((f"m:{_as_date(d):%Y-%m}", n, v) for d, n, v in months), languages),
    }


def _as_date(value: object) -> date:
    # Trunc gives a date for a DateField on PostgreSQL, and may give a datetime elsewhere.
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[return-value]


def _groups(canon: Canon, details: Sequence[str]) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """Every sum a reader of the page, the CSV or the JSON could check: "total = parts"."""
    groups: list[tuple[Cell, tuple[Cell, ...]]] = []
    everyone = canon.all_languages
    parts_languages = [*canon.languages, UNRECORDED]
    periods = [p for periods in canon.views.values() for p in periods] + list(canon.ranges.values())
    for period in periods:
        names = MEASURE_KEYS if period.kind != "range" else (*MEASURE_KEYS, *details)
        for language in everyone:
            # Missed contacts in all = its four parts, in every row.
            groups.append(
                ((language, period.key, "missed"), tuple((language, period.key, k) for k in MISSED_PARTS))
            )
        for name in names:
            # Each language, and the contacts of no recorded language, add up to all languages.
            groups.append(
                ((ALL, period.key, name), tuple((lang, period.key, name) for lang in parts_languages))
            )
    for grouping, range_ in canon.ranges.items():
        for language in everyone:
            for name in MEASURE_KEYS:
                # Each period row adds up to the range's total.
                rows = tuple((language, p.key, name) for p in canon.views[grouping])
                groups.append(((language, range_.key, name), rows))
            # Answered chats = their waits, bucket by bucket.
            buckets = tuple((language, range_.key, name) for name in WAIT_ANSWERED)
            groups.append(((language, range_.key, "answered"), buckets))
    # A week or a month whose days are all among the days shown is the sum of those days.
    shown_days = {p.first: p for p in canon.views["day"]}
    for period in canon.views["week"] + canon.views["month"]:
        days = [period.first + timedelta(days=n) for n in range((period.last - period.first).days + 1)]
        if all(day in shown_days for day in days):
            for language in everyone:
                for name in MEASURE_KEYS:
                    parts = tuple((language, shown_days[day].key, name) for day in days)
                    groups.append(((language, period.key, name), parts))
    return groups
