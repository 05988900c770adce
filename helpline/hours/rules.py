"""Opening hours as pure functions: is live chat open at an instant, when does it close, when does it
open next, and when is a reply due in working days. Nothing here reads the database or the clock;
helpline.hours.schedules builds a Schedule from the admin's records and asks these questions.

Weekly hours are wall-clock times in the service's time zone, so "09:00" stays 09:00 through the
daylight-saving changes: each local day's times are turned into instants with zoneinfo, and all
comparisons are between instants. A period whose closing time is not after its opening time runs past
midnight (20:00-02:00), and 00:00-00:00 is the whole day. A time the clocks skip (01:30 on the night
they jump from 01:00 to 02:00) means the moment of the jump; a time that happens twice means the
first. Holidays close whole local days; closures close a span of instants. Touching or overlapping
periods join up, so a late shift followed by a night shift reads as one opening.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext, ngettext

Interval = tuple[datetime, datetime]
# How far ahead to look for the next opening before saying there is none.
SEARCH_DAYS = 400
# Day and month names in the active language, from Django's own catalogues (Monday is 0, as here).
WEEKDAY_NAMES = WEEKDAYS


@dataclass(frozen=True)
class WeeklyPeriod:
    weekday: int  # Monday is 0, as date.weekday()
    opens: time
    closes: time


@dataclass(frozen=True)
class Schedule:
    tz: tzinfo
    periods: tuple[WeeklyPeriod, ...] = ()
    holidays: frozenset[date] = frozenset()
    closures: tuple[Interval, ...] = ()
    always_open: bool = False

    @classmethod
    def around_the_clock(cls, tz: tzinfo) -> Schedule:
        return cls(tz=tz, always_open=True)


@dataclass(frozen=True)
class OpeningState:
    """Where the service stands at one instant, for one language."""

    now: datetime
    is_open: bool
    taking_new_chats: bool
    closes_at: datetime | None = None  # None while open: not closing within the coming week
    next_opens_at: datetime | None = None  # None while closed: no opening found within a year
    always_open: bool = False
    tz: tzinfo = field(default=UTC, compare=False)

    @property
    def minutes_to_closing(self) -> int | None:
        if not self.is_open or self.closes_at is None:
            return None
        return max(0, math.floor((self.closes_at - self.now).total_seconds() / 60))

    @property
    def closing_words(self) -> str:
        """ "at 23:00", "tomorrow at 02:00" ("" when not closing soon)."""
        if self.closes_at is None:
            return ""
        return day_and_time(self.closes_at, self.now, self.tz)

    @property
    def opening_words(self) -> str:
        """ "Monday at 09:00, in 14 hours" ("" when no opening is known)."""
        if self.next_opens_at is None:
            return ""
        when = day_and_time(self.next_opens_at, self.now, self.tz)
        return gettext("%(when)s, %(until)s") % {
            "when": when,
            "until": time_until(self.next_opens_at, self.now),
        }


# --- instants from wall-clock times -----------------------------------------------------------


def local_instant(day: date, at: time, tz: tzinfo) -> datetime:
    """The instant (in UTC) a wall-clock time happens on a local day."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # Skipped by a spring-forward change: fold=0 and fold=1 land either side of the jump; find it.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


def _day_intervals(schedule: Schedule, day: date) -> list[Interval]:
    intervals = []
    for period in schedule.periods:
        if period.weekday != day.weekday():
            continue
        start = local_instant(day, period.opens, schedule.tz)
        end_day = day if period.closes > period.opens else day + timedelta(days=1)
        intervals.append((start, local_instant(end_day, period.closes, schedule.tz)))
    return intervals


def _closed_spans(schedule: Schedule, first: date, last: date) -> list[Interval]:
    spans = [
        (
            local_instant(day, time(0), schedule.tz),
            local_instant(day + timedelta(days=1), time(0), schedule.tz),
        )
        for day in schedule.holidays
        if first <= day <= last
    ]
    return spans + list(schedule.closures)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: list[Interval], holes: Iterable[Interval]) -> list[Interval]:
    result = intervals
    for hole_start, hole_end in holes:
        cut: list[Interval] = []
        for start, end in result:
            if hole_end <= start or hole_start >= end:
                cut.append((start, end))
                continue
            if start < hole_start:
                cut.append((start, hole_start))
            if hole_end < end:
                cut.append((hole_end, end))
        result = cut
    return result


def open_intervals(schedule: Schedule, start: datetime, end: datetime) -> list[Interval]:
    """The open spans touching [start, end), whole (not clipped), in order. An always-open schedule
    gives one span covering the window."""
    if schedule.always_open:
        return [(start, end)]
    first = start.astimezone(schedule.tz).date() - timedelta(days=1)
    last = end.astimezone(schedule.tz).date() + timedelta(days=1)
    raw: list[Interval] = []
    day = first
    while day <= last:
        raw.extend(_day_intervals(schedule, day))
        day += timedelta(days=1)
    spans = merge(subtract(merge(raw), _closed_spans(schedule, first, last)))
    return [(s, e) for s, e in spans if e > start and s < end]


# --- questions --------------------------------------------------------------------------------


def current_interval(schedule: Schedule, at: datetime) -> Interval | None:
    # A week either side finds the whole span unless the service never closes within it.
    for start, end in open_intervals(schedule, at - timedelta(days=8), at + timedelta(days=8)):
        if start <= at < end:
            return start, end
    return None


def is_open(schedule: Schedule, at: datetime) -> bool:
    return schedule.always_open or current_interval(schedule, at) is not None


def closes_at(schedule: Schedule, at: datetime) -> datetime | None:
    """When the current opening ends; None if closed now, always open, or open for over a week."""
    if schedule.always_open:
        return None
    span = current_interval(schedule, at)
    if span is None or span[1] >= at + timedelta(days=8):
        return None
    return span[1]


def next_opening(schedule: Schedule, at: datetime) -> datetime | None:
    """The next instant after `at` at which the service opens (None: nothing within a year)."""
    if schedule.always_open:
        return None
    window_start = at
    while window_start < at + timedelta(days=SEARCH_DAYS):
        window_end = window_start + timedelta(days=14)
        for start, _end in open_intervals(schedule, window_start, window_end):
            if start > at:
                return start
        window_start = window_end
    return None


def opening_state(schedule: Schedule, at: datetime, last_chat_before_closing: timedelta) -> OpeningState:
    if schedule.always_open:
        return OpeningState(at, True, True, always_open=True, tz=schedule.tz)
    span = current_interval(schedule, at)
    if span is None:
        return OpeningState(at, False, False, next_opens_at=next_opening(schedule, at), tz=schedule.tz)
    closing = span[1] if span[1] < at + timedelta(days=8) else None
    taking = closing is None or closing - at > last_chat_before_closing
    reopening = None if taking or closing is None else next_opening(schedule, closing)
    return OpeningState(at, True, taking, closes_at=closing, next_opens_at=reopening, tz=schedule.tz)


# --- working days -----------------------------------------------------------------------------


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_after(start: datetime, days: int, tz: tzinfo, holidays: frozenset[date]) -> datetime:
    """The end of the `days`-th working day after the local day of `start` (a message on Friday with a
    target of 3 working days is due by the end of Wednesday; one on Saturday, the same)."""
    day = start.astimezone(tz).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return local_instant(day + timedelta(days=1), time(0), tz)


# --- words ------------------------------------------------------------------------------------


def day_and_time(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """ "at 17:00" today, "tomorrow at 09:00", "Monday at 09:00" within a week, else with the date."""
    local = moment.astimezone(tz)
    today = now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    days_ahead = (local.date() - today).days
    if days_ahead == 0:
        return gettext("today at %(time)s") % {"time": clock}
    if days_ahead == 1:
        return gettext("tomorrow at %(time)s") % {"time": clock}
    if 1 < days_ahead < 7:
        return gettext("%(weekday)s at %(time)s") % {"weekday": WEEKDAY_NAMES[local.weekday()], "time": clock}
    return gettext("%(weekday)s %(day)s %(month)s at %(time)s") % {
        "weekday": WEEKDAY_NAMES[local.weekday()],
        "day": local.day,
        "month": MONTHS[local.month],
        "time": clock,
    }


def time_until(moment: datetime, now: datetime) -> str:
    minutes = math.ceil((moment - now).total_seconds() / 60)
    if minutes < 60:
        minutes = max(1, minutes)
        return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}
    days = round(hours / 24)
    return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}


def due_words(moment: datetime, tz: tzinfo) -> str:
    """A due instant at local midnight reads as the end of the day before: "Thursday 26 November"."""
    local = moment.astimezone(tz)
    if local.time() == time(0):
        local -= timedelta(minutes=1)
    return gettext("%(weekday)s %(day)s %(month)s") % {
        "weekday": WEEKDAY_NAMES[local.weekday()],
        "day": local.day,
        "month": MONTHS[local.month],
    }
