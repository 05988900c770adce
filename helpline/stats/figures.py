"""The figures supervisors and admins read: daily counts gathered into days, weeks and categories.

Read-only, from helpline.models.DailyCount. Every count below STATS_SMALL_COUNT is shown as
"fewer than N" (tables and charts alike), so small numbers on a quiet day cannot be read as
anything about a particular contact. Shares (answered, replied within target) are given only when
both numbers behind them are at or above the threshold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpline.chat import texts
from helpline.models import ChatSession, DailyCount, Escalation, WrapUp
from helpline.stats import tallies

Counts = dict[date, dict[str, int]]


def small_count() -> int:
    return int(settings.HELPLINE["STATS_SMALL_COUNT"])


@dataclass(frozen=True)
class Figure:
    value: int
    threshold: int

    @property
    def hidden(self) -> bool:
        # Zero is shown as zero: nobody can be singled out from no one, and a chart that drew 0 like
        # "fewer than 5" would tell a funder something happened that did not.
        return 0 < self.value < self.threshold

    @property
    def text(self) -> str:
        if self.hidden:
            return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}
        return f"{self.value:,}"

    def __str__(self) -> str:
        return self.text


def figure(value: int) -> Figure:
    return Figure(value, small_count())


def share(part: int, whole: int) -> str:
    """ "82%", or "" when either number is small enough to be hidden."""
    threshold = small_count()
    if whole <= 0 or part < threshold or whole < threshold:
        return ""
    return f"{round(100 * part / whole)}%"


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
)


def total(counts: dict[str, int], names: Iterable[str]) -> int:
    return sum(counts.get(name, 0) for name in names)


def load_counts(first: date, last: date) -> Counts:
    counts: Counts = defaultdict(dict)
    for day, name, value in DailyCount.objects.filter(day__range=(first, last)).values_list(
        "day", "name", "value"
    ):
        counts[day][name] = value
    return counts


def summed(counts: Counts, days: Iterable[date]) -> dict[str, int]:
    result: dict[str, int] = defaultdict(int)
    for day in days:
        for name, value in counts.get(day, {}).items():
            result[name] += value
    return result


@dataclass(frozen=True)
class PeriodRow:
    label: str
    first: date
    last: date
    figures: tuple[Figure, ...]
    answered_share: str
    in_target_share: str


def period_row(label: str, first: date, last: date, counts: Counts) -> PeriodRow:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    period = summed(counts, days)
    values = {m.key: total(period, m.names) for m in MEASURES}
    replies = values["secure_in_target"] + values["secure_late"]
    return PeriodRow(
        label=label,
        first=first,
        last=last,
        figures=tuple(figure(values[m.key]) for m in MEASURES),
        answered_share=share(values["answered"], values["started"]),
        in_target_share=share(values["secure_in_target"], replies),
    )


def day_label(day: date) -> str:
    # Day and month names in the reader's language ("Mon 23 Nov", "ma 23 nov").
    return date_format(day, "D j M")


def day_rows(last: date, days: int, counts: Counts) -> list[PeriodRow]:
    rows = []
    for n in range(days):
        day = last - timedelta(days=n)
        rows.append(period_row(day_label(day), day, day, counts))
    return rows


def week_rows(last: date, weeks: int, counts: Counts) -> list[PeriodRow]:
    """Whole weeks, Monday to Sunday, the newest first (the current week so far at the top)."""
    monday = last - timedelta(days=last.weekday())
    rows = []
    for n in range(weeks):
        first = monday - timedelta(weeks=n)
        end = min(first + timedelta(days=6), last)
        rows.append(
            period_row(
                gettext("Week of %(date)s") % {"date": date_format(first, "j M Y")}, first, end, counts
            )
        )
    return rows


# --- waits and categories -----------------------------------------------------------------------


@dataclass(frozen=True)
class WaitRow:
    label: str | Promise
    answered: Figure
    missed: Figure


def wait_rows(period: dict[str, int]) -> list[WaitRow]:
    return [
        WaitRow(
            tallies.WAIT_BUCKET_LABELS[bucket],
            figure(period.get(tallies.wait_answered(bucket), 0)),
            figure(period.get(tallies.wait_missed(bucket), 0)),
        )
        for bucket, _ in tallies.WAIT_BUCKETS
    ]


@dataclass(frozen=True)
class CategoryTable:
    title: str | Promise
    rows: tuple[tuple[str, Figure], ...]


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


def category_tables(period: dict[str, int]) -> list[CategoryTable]:
    return [
        CategoryTable(
            title, tuple((str(label), figure(period.get(f"{prefix}.{value}", 0))) for value, label in choices)
        )
        for title, prefix, choices in CATEGORY_SOURCES
    ]


# --- what seekers told us at the end of a chat ---------------------------------------------------


@dataclass(frozen=True)
class FeedbackRow:
    question: str
    answers: tuple[Figure, ...]  # in the order of texts.FEEDBACK_ANSWERS


@dataclass(frozen=True)
class FeedbackTable:
    forms: Figure
    answers: tuple[str, ...]
    rows: tuple[FeedbackRow, ...]


def feedback_table(period: dict[str, int]) -> FeedbackTable:
    """The three optional questions at the end of a chat. Each answer is its own daily count
    (tallies.seeker_feedback), so nothing here can be put back together into one person's form; small
    counts are hidden like every other figure."""
    return FeedbackTable(
        forms=figure(period.get(tallies.FEEDBACK_FORMS, 0)),
        answers=tuple(label for _, label in texts.FEEDBACK_ANSWERS),
        rows=tuple(
            FeedbackRow(
                question,
                tuple(
                    figure(period.get(tallies.feedback_answer(key, value), 0))
                    for value, _ in texts.FEEDBACK_ANSWERS
                ),
            )
            for key, question in texts.FEEDBACK_QUESTIONS
        ),
    )
