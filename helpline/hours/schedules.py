"""Opening hours from the admin's records, and what they mean for someone arriving now.

helpline.hours.rules answers the time questions from plain data; this module loads that data and words
the answers for the chat pages. Read-only: nothing here changes state.

No weekly hours at all means live chat is always open (a fresh site, the tests, a service that is
genuinely round the clock). Once any hours exist, a language with none of its own has no live chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from helpline.chat import queue
from helpline.chat.estimates import WaitEstimate, estimate_wait
from helpline.hours import rules
from helpline.languages import language_name
from helpline.models import (
    Availability,
    ChatSession,
    Holiday,
    OpeningHours,
    ServiceClosure,
    StaffProfile,
    Weekday,
)


def service_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def hours_configured() -> bool:
    return OpeningHours.objects.exists()


def last_chat_cutoff() -> timedelta:
    return timedelta(minutes=settings.HELPLINE["LAST_CHAT_MINUTES_BEFORE_CLOSING"])


def holidays_for(language: str, around: datetime) -> frozenset:
    first = around.date() - timedelta(days=20)
    last = around.date() + timedelta(days=rules.SEARCH_DAYS + 20)
    return frozenset(
        Holiday.objects.filter(Q(language="") | Q(language=language), date__range=(first, last)).values_list(
            "date", flat=True
        )
    )


def schedule_for(
    language: str, now: datetime | None = None, *, configured: bool | None = None
) -> rules.Schedule:
    tz = service_tz()
    now = now or timezone.now()
    if not (hours_configured() if configured is None else configured):
        return rules.Schedule.around_the_clock(tz)
    periods = tuple(
        rules.WeeklyPeriod(weekday, opens, closes)
        for weekday, opens, closes in OpeningHours.objects.filter(language=language).values_list(
            "weekday", "opens_at", "closes_at"
        )
    )
    closures = tuple(
        ServiceClosure.objects.filter(
            Q(language="") | Q(language=language), ends_at__gt=now - timedelta(days=20)
        ).values_list("starts_at", "ends_at")
    )
    return rules.Schedule(tz=tz, periods=periods, holidays=holidays_for(language, now), closures=closures)


def opening_state(language: str, now: datetime | None = None) -> rules.OpeningState:
    now = now or timezone.now()
    return rules.opening_state(schedule_for(language, now), now, last_chat_cutoff())


def offered_languages() -> list[str]:
    """Languages with live chat: those with weekly hours, or every language when none are set."""
    with_hours = set(OpeningHours.objects.values_list("language", flat=True))
    codes = [code for code, _ in settings.LANGUAGES]
    return [code for code in codes if code in with_hours] if with_hours else codes


# --- what a person arriving now is told -------------------------------------------------------


def closed_words(language: str, state: rules.OpeningState) -> str:
    name = language_name(language)
    if state.is_open and not state.taking_new_chats:
        text = (
            f"We have stopped starting new chats in {name} for now, because we close soon "
            f"({state.closing_words}), and we want to be able to give everyone in the queue time."
        )
    elif state.next_opens_at is None:
        return f"Live chat in {name} is not available at the moment."
    else:
        text = f"Live chat in {name} is closed just now."
    if state.next_opens_at is not None:
        text += f" It opens {state.opening_words}."
    return text


@dataclass(frozen=True)
class ChatOutlook:
    """One language's live chat as someone arriving now would find it."""

    language: str
    state: rules.OpeningState
    capacity: int
    estimate: WaitEstimate

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def taking_chats(self) -> bool:
        return self.state.taking_new_chats

    @property
    def nobody_on_duty(self) -> bool:
        return self.capacity == 0

    @property
    def wait_may_outlast_opening(self) -> bool:
        minutes = self.state.minutes_to_closing
        return self.estimate.kind == "range" and minutes is not None and self.estimate.high_minutes > minutes

    @property
    def headline(self) -> str:
        state = self.state
        if state.always_open:
            return "Open now."
        if state.taking_new_chats:
            return f"Open now. We close {state.closing_words}." if state.closes_at else "Open now."
        return closed_words(self.language, state)

    @property
    def closed_summary(self) -> str:
        """For the "closed just now" box, which already says live chat is closed."""
        state = self.state
        if state.is_open and not state.taking_new_chats:
            text = f"We have stopped starting new chats because we close soon ({state.closing_words})."
            return text + (f" Live chat opens again {state.opening_words}." if state.next_opens_at else "")
        if state.next_opens_at is None:
            return "No live chat at the moment."
        return f"Live chat opens {state.opening_words}."

    @property
    def warning(self) -> str:
        """Said plainly before anyone joins the queue. The choice stays theirs."""
        if not self.taking_chats:
            return ""
        if self.nobody_on_duty:
            return (
                "Nobody from the team is free to chat at the moment, so we cannot say how long the wait "
                "will be. You can still join the queue, or write us a secure message instead and come "
                "back for the reply."
            )
        if self.wait_may_outlast_opening:
            return (
                f"The wait may be longer than the time left before we close ({self.state.closing_words}). "
                "You can still join the queue, or write us a secure message instead and come back for "
                "the reply."
            )
        return ""


def capacity_for(language: str) -> tuple[int, int]:
    """(chat slots of available staff who speak the language, of which free now)."""
    profiles = [
        p
        for p in StaffProfile.objects.filter(availability=Availability.AVAILABLE).only(
            "id", "max_chats", "languages"
        )
        if language in (p.languages or [])
    ]
    loads = queue.staff_loads([p.id for p in profiles])
    capacity = sum(p.max_chats for p in profiles)
    free = sum(max(0, p.max_chats - loads.get(p.id, 0)) for p in profiles)
    return capacity, free


def chat_outlooks(now: datetime | None = None) -> list[ChatOutlook]:
    now = now or timezone.now()
    configured = hours_configured()
    handling = queue.recent_handling_seconds()
    outlooks = []
    for language in offered_languages() if configured else [settings.LANGUAGE_CODE]:
        state = rules.opening_state(
            schedule_for(language, now, configured=configured), now, last_chat_cutoff()
        )
        capacity, free = capacity_for(language)
        waiting = ChatSession.objects.waiting().filter(language=language).count()
        outlooks.append(
            ChatOutlook(language, state, capacity, estimate_wait(waiting + 1, capacity, free, handling))
        )
    return outlooks


def waiting_notice(chat: ChatSession, estimate: WaitEstimate, now: datetime | None = None) -> str:
    """For someone already in the queue: closing time and long waits, said honestly, with another route."""
    now = now or timezone.now()
    state = opening_state(chat.language, now)
    if not state.taking_new_chats:
        return (
            "We have stopped taking new chats for today, but you keep your place in the queue: the team "
            "will answer the people who are still waiting before they finish. If you would rather not "
            "wait, you can write us a secure message instead."
        )
    if estimate.kind == "nobody_on_duty":
        # The estimate above it already says nobody is free; this adds the other route.
        return (
            "You can keep your place and wait, or write us a secure message instead and come back for "
            "the reply."
        )
    minutes = state.minutes_to_closing
    if estimate.kind == "range" and minutes is not None and estimate.high_minutes > minutes:
        return (
            f"The wait may be longer than the time left before we close ({state.closing_words}). You keep "
            "your place either way, or you can write us a secure message instead."
        )
    return ""


# --- the weekly timetable, for the chat page ---------------------------------------------------


@dataclass(frozen=True)
class TimetableRow:
    days: str
    times: str


def weekly_timetable(language: str) -> list[TimetableRow]:
    """ "Monday to Friday: 09:00 to 17:00", grouping days with the same hours."""
    by_day: dict[int, list[str]] = {day: [] for day in range(7)}
    for row in OpeningHours.objects.filter(language=language).order_by("weekday", "opens_at"):
        by_day[row.weekday].append(f"{row.opens_at:%H:%M} to {row.closes_at:%H:%M}")
    rows: list[TimetableRow] = []
    start = 0
    for day in range(1, 8):
        if day < 7 and by_day[day] == by_day[start]:
            continue
        times = ", ".join(by_day[start]) or "closed"
        first, last = Weekday(start).label, Weekday(day - 1).label
        span = day - 1 - start
        days = first if span == 0 else f"{first} and {last}" if span == 1 else f"{first} to {last}"
        rows.append(TimetableRow(days, times))
        start = day
    return rows
