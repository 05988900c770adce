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
from django.utils.translation import gettext

from helpline.chat import queue
from helpline.chat.estimates import WaitEstimate, estimate_wait
from helpline.hours import rules
from helpline.languages import language_name
from helpline.models import (
    ChatSession,
    Holiday,
    OpeningHours,
    ServiceClosure,
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
        text = gettext(
            "We have stopped starting new chats in %(language)s for now, because we close soon "
            "(%(closing)s), and we want to be able to give everyone in the queue time."
        ) % {"language": name, "closing": state.closing_words}
    elif state.next_opens_at is None:
        return gettext("Live chat in %(language)s is not available at the moment.") % {"language": name}
    else:
        text = gettext("Live chat in %(language)s is closed just now.") % {"language": name}
    if state.next_opens_at is not None:
        text += " " + gettext("It opens %(opening)s.") % {"opening": state.opening_words}
    return text


@dataclass(frozen=True)
class ChatOutlook:
    """One language's live chat as someone arriving now would find it."""

    language: str
    state: rules.OpeningState
    capacity: int
    estimate: WaitEstimate
    on_duty: int = 0  # everyone's slots, in any language: is it this language nobody speaks?

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
            return gettext("Open now.")
        if state.taking_new_chats:
            if state.closes_at:
                return gettext("Open now. We close %(closing)s.") % {"closing": state.closing_words}
            return gettext("Open now.")
        return closed_words(self.language, state)

    @property
    def closed_summary(self) -> str:
        """For the "closed just now" box, which already says live chat is closed."""
        state = self.state
        if state.is_open and not state.taking_new_chats:
            text = gettext("We have stopped starting new chats because we close soon (%(closing)s).") % {
                "closing": state.closing_words
            }
            if state.next_opens_at:
                text += " " + gettext("Live chat opens again %(opening)s.") % {"opening": state.opening_words}
            return text
        if state.next_opens_at is None:
            return gettext("No live chat at the moment.")
        return gettext("Live chat opens %(opening)s.") % {"opening": state.opening_words}

    @property
    def warning(self) -> str:
        """Said plainly before anyone joins the queue. The choice stays theirs."""
        if not self.taking_chats:
            return ""
        if self.nobody_on_duty and self.on_duty > 0:
            # Others are on duty, but a chat in this language waits for someone who speaks it.
            return gettext(
                "Nobody who speaks %(language)s is on duty right now, so we cannot say how long the wait "
                "will be. You can still join the queue, or write us a secure message instead and come "
                "back for the reply."
            ) % {"language": self.name}
        if self.nobody_on_duty:
            return gettext(
                "Nobody from the team is free to chat at the moment, so we cannot say how long the wait "
                "will be. You can still join the queue, or write us a secure message instead and come "
                "back for the reply."
            )
        if self.wait_may_outlast_opening:
            return gettext(
                "The wait may be longer than the time left before we close (%(closing)s). "
                "You can still join the queue, or write us a secure message instead and come back for "
                "the reply."
            ) % {"closing": self.state.closing_words}
        return ""


def capacity_for(language: str) -> tuple[int, int]:
    """(chat slots of available staff who speak the language, of which free now)."""
    return queue.capacity_for(language)


def chat_outlooks(now: datetime | None = None, *, language: str = "") -> list[ChatOutlook]:
    """Each offered language's outlook; without opening hours, the one `language` the person reads
    the page in (the form's first choice), so what they are told before joining is about that queue."""
    now = now or timezone.now()
    configured = hours_configured()
    handling = queue.recent_handling_seconds()
    on_duty = queue.capacity_on_duty()[0]
    codes = {code for code, _name in settings.LANGUAGES}
    outlooks = []
    page_language = language if language in codes else settings.LANGUAGE_CODE
    for language in offered_languages() if configured else [page_language]:
        state = rules.opening_state(
            schedule_for(language, now, configured=configured), now, last_chat_cutoff()
        )
        capacity, free = capacity_for(language)
        waiting = ChatSession.objects.waiting().filter(language=language).count()
        unspoken = language if on_duty > 0 else ""
        estimate = estimate_wait(waiting + 1, capacity, free, handling, unspoken_language=unspoken)
        outlooks.append(ChatOutlook(language, state, capacity, estimate, on_duty))
    return outlooks


def waiting_notice(chat: ChatSession, estimate: WaitEstimate, now: datetime | None = None) -> str:
    """For someone already in the queue: closing time and long waits, said honestly, with another route."""
    now = now or timezone.now()
    state = opening_state(chat.language, now)
    if not state.taking_new_chats:
        return gettext(
            "We have stopped taking new chats for today, but you keep your place in the queue: the team "
            "will answer the people who are still waiting before they finish. If you would rather not "
            "wait, you can write us a secure message instead."
        )
    if estimate.kind == "nobody_on_duty":
        # The estimate above it already says nobody is free (or nobody who speaks the language); this
        # adds the other route.
        return gettext(
            "You can keep your place and wait, or write us a secure message instead and come back for "
            "the reply."
        )
    minutes = state.minutes_to_closing
    if estimate.kind == "range" and minutes is not None and estimate.high_minutes > minutes:
        return gettext(
            "The wait may be longer than the time left before we close (%(closing)s). You keep "
            "your place either way, or you can write us a secure message instead."
        ) % {"closing": state.closing_words}
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
        by_day[row.weekday].append(
            gettext("%(opens)s to %(closes)s")
            % {"opens": f"{row.opens_at:%H:%M}", "closes": f"{row.closes_at:%H:%M}"}
        )
    rows: list[TimetableRow] = []
    start = 0
    for day in range(1, 8):
        if day < 7 and by_day[day] == by_day[start]:
            continue
        times = ", ".join(by_day[start]) or gettext("closed")
        first, last = rules.WEEKDAY_NAMES[start], rules.WEEKDAY_NAMES[day - 1]
        span = day - 1 - start
        if span == 0:
            days = str(first)
        elif span == 1:
            days = gettext("%(first)s and %(last)s") % {"first": first, "last": last}
        else:
            days = gettext("%(first)s to %(last)s") % {"first": first, "last": last}
        rows.append(TimetableRow(days, times))
        start = day
    return rows
