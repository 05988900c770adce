"""Opening hours as pure rules, in the service's wall-clock time, across the daylight-saving changes.

Europe/London in 2026: clocks go forward on Sunday 29 March at 01:00 GMT (to 02:00 BST) and back on
Sunday 25 October at 02:00 BST (to 01:00 GMT).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpline.hours import rules
from helpline.hours.rules import Schedule, WeeklyPeriod

LONDON = ZoneInfo("Europe/London")
CUTOFF = timedelta(minutes=15)
WEEKDAYS = range(5)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def schedule(*periods: tuple[int, time, time], holidays=(), closures=()) -> Schedule:
    return Schedule(
        tz=LONDON,
        periods=tuple(WeeklyPeriod(d, o, c) for d, o, c in periods),
        holidays=frozenset(holidays),
        closures=tuple(closures),
    )


def office_hours(**extra) -> Schedule:
    return schedule(*[(day, time(9), time(17)) for day in WEEKDAYS], **extra)


def every_day(opens: time, closes: time, **extra) -> Schedule:
    return schedule(*[(day, opens, closes) for day in range(7)], **extra)


# --- open, closing, next opening ---------------------------------------------------------------


def test_it_is_open_inside_hours_and_says_when_it_closes():
    monday = local(2026, 11, 23, 10, 0)
    state = rules.opening_state(office_hours(), monday, CUTOFF)
    assert state.is_open and state.taking_new_chats
    assert state.closes_at == local(2026, 11, 23, 17, 0)
    assert state.minutes_to_closing == 7 * 60
    assert state.closing_words == "today at 17:00"


def test_it_is_closed_at_the_weekend_and_says_when_it_next_opens():
    sunday_evening = local(2026, 11, 29, 19, 0)
    state = rules.opening_state(office_hours(), sunday_evening, CUTOFF)
    assert not state.is_open and not state.taking_new_chats
    assert state.next_opens_at == local(2026, 11, 30, 9, 0)
    assert state.opening_words == "tomorrow at 09:00, in 14 hours"
    saturday = local(2026, 11, 28, 10, 0)
    assert (
        rules.opening_state(office_hours(), saturday, CUTOFF).opening_words == "Monday at 09:00, in 47 hours"
    )


def test_closing_time_itself_is_closed_and_opening_time_is_open():
    sched = office_hours()
    assert not rules.is_open(sched, local(2026, 11, 23, 17, 0))
    assert rules.is_open(sched, local(2026, 11, 23, 9, 0))
    assert not rules.is_open(sched, local(2026, 11, 23, 8, 59, 59))


def test_new_chats_stop_a_set_time_before_closing():
    sched = office_hours()
    before_cutoff = rules.opening_state(sched, local(2026, 11, 23, 16, 44), CUTOFF)
    in_cutoff = rules.opening_state(sched, local(2026, 11, 23, 16, 46), CUTOFF)
    assert before_cutoff.taking_new_chats
    assert in_cutoff.is_open and not in_cutoff.taking_new_chats
    assert in_cutoff.minutes_to_closing == 14
    # Someone arriving in the last minutes is told when we open again, not just that we close.
    assert in_cutoff.next_opens_at == local(2026, 11, 24, 9, 0)


def test_an_evening_shift_runs_past_midnight_and_joins_the_day_shift():
    sched = schedule(*[(d, time(9), time(17)) for d in range(7)], *[(d, time(17), time(2)) for d in range(7)])
    state = rules.opening_state(sched, local(2026, 11, 23, 22, 0), CUTOFF)
    assert state.is_open
    assert state.closes_at == local(2026, 11, 24, 2, 0)
    assert state.closing_words == "tomorrow at 02:00"
    assert not rules.is_open(sched, local(2026, 11, 24, 3, 0))


def test_no_weekly_hours_in_a_schedule_means_never_open():
    state = rules.opening_state(schedule(), local(2026, 11, 23, 12, 0), CUTOFF)
    assert not state.is_open and state.next_opens_at is None and state.opening_words == ""


def test_an_always_open_schedule_takes_chats_at_any_time():
    state = rules.opening_state(Schedule.around_the_clock(LONDON), local(2026, 12, 25, 3, 0), CUTOFF)
    assert state.is_open and state.taking_new_chats and state.always_open
    assert state.closes_at is None and state.minutes_to_closing is None


def test_a_whole_day_period_open_all_week_does_not_claim_a_closing_time():
    state = rules.opening_state(every_day(time(0), time(0)), local(2026, 11, 23, 12, 0), CUTOFF)
    assert state.is_open and state.taking_new_chats and state.closes_at is None


# --- holidays and closures ---------------------------------------------------------------------


def test_a_holiday_closes_the_whole_day_and_the_next_opening_skips_it():
    sched = office_hours(holidays=[date(2026, 12, 25)])
    christmas = local(2026, 12, 25, 11, 0)
    state = rules.opening_state(sched, christmas, CUTOFF)
    assert not state.is_open
    assert state.next_opens_at == local(2026, 12, 28, 9, 0)  # Saturday and Sunday are closed anyway
    assert rules.is_open(sched, local(2026, 12, 24, 11, 0))


def test_a_holiday_cuts_an_overnight_shift_at_midnight():
    sched = every_day(time(20), time(4), holidays=[date(2026, 12, 25)])
    assert rules.closes_at(sched, local(2026, 12, 24, 22, 0)) == local(2026, 12, 25, 0, 0)
    assert not rules.is_open(sched, local(2026, 12, 25, 2, 0))


def test_a_one_off_closure_interrupts_the_hours():
    closure = (local(2026, 11, 23, 12, 0), local(2026, 11, 23, 14, 0))
    sched = office_hours(closures=[closure])
    assert rules.closes_at(sched, local(2026, 11, 23, 11, 0)) == local(2026, 11, 23, 12, 0)
    during = rules.opening_state(sched, local(2026, 11, 23, 13, 0), CUTOFF)
    assert not during.is_open
    assert during.next_opens_at == local(2026, 11, 23, 14, 0)
    assert during.opening_words == "today at 14:00, in 1 hour"


# --- daylight saving ---------------------------------------------------------------------------


def test_wall_clock_hours_hold_on_the_day_the_clocks_go_forward():
    sched = every_day(time(8), time(23))
    saturday = rules.open_intervals(sched, utc(2026, 3, 28, 12), utc(2026, 3, 28, 13))
    sunday = rules.open_intervals(sched, utc(2026, 3, 29, 12), utc(2026, 3, 29, 13))
    assert saturday == [(utc(2026, 3, 28, 8), utc(2026, 3, 28, 23))]  # GMT: local equals UTC
    assert sunday == [(utc(2026, 3, 29, 7), utc(2026, 3, 29, 22))]  # BST: an hour ahead of UTC


def test_wall_clock_hours_hold_on_the_day_the_clocks_go_back():
    sched = every_day(time(8), time(23))
    sunday = rules.open_intervals(sched, utc(2026, 10, 25, 12), utc(2026, 10, 25, 13))
    assert sunday == [(utc(2026, 10, 25, 8), utc(2026, 10, 25, 23))]
    assert rules.opening_state(sched, utc(2026, 10, 25, 7, 30), CUTOFF).opening_words == (
        "today at 08:00, in 30 minutes"
    )


def test_a_night_shift_is_an_hour_shorter_when_the_clocks_go_forward():
    sched = every_day(time(20), time(4))
    span = rules.current_interval(sched, utc(2026, 3, 28, 23, 30))
    assert span is not None
    start, end = span
    assert (start, end) == (utc(2026, 3, 28, 20), utc(2026, 3, 29, 3))
    assert end - start == timedelta(hours=7)
    # 23:30 GMT to 04:00 BST is three and a half hours on the clock face but only 210 minutes.
    assert rules.opening_state(sched, utc(2026, 3, 28, 23, 30), CUTOFF).minutes_to_closing == 210


def test_a_night_shift_is_an_hour_longer_when_the_clocks_go_back():
    sched = every_day(time(20), time(4))
    span = rules.current_interval(sched, utc(2026, 10, 24, 23, 30))
    assert span is not None
    start, end = span
    assert (start, end) == (utc(2026, 10, 24, 19), utc(2026, 10, 25, 4))
    assert end - start == timedelta(hours=9)
    assert rules.opening_state(sched, utc(2026, 10, 24, 23, 30), CUTOFF).minutes_to_closing == 270


def test_a_time_the_clocks_skip_means_the_moment_of_the_jump():
    # 01:30 does not exist on 29 March: clocks read 00:59 GMT, then 02:00 BST (01:00 UTC).
    assert rules.local_instant(date(2026, 3, 29), time(1, 30), LONDON) == utc(2026, 3, 29, 1, 0)
    sched = schedule((6, time(0), time(1, 30)), (6, time(1, 30), time(1, 45)))
    assert rules.closes_at(sched, utc(2026, 3, 29, 0, 45)) == utc(2026, 3, 29, 1, 0)


def test_a_time_that_happens_twice_means_the_first():
    # 01:30 happens twice on 25 October: first in BST (00:30 UTC), then in GMT (01:30 UTC).
    assert rules.local_instant(date(2026, 10, 25), time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)


def test_opening_words_count_real_hours_across_the_change():
    sched = every_day(time(9), time(17))
    # Saturday 28 March 18:00 GMT to Sunday 09:00 BST is 14 real hours, not 15.
    state = rules.opening_state(sched, utc(2026, 3, 28, 18), CUTOFF)
    assert state.opening_words == "tomorrow at 09:00, in 14 hours"


# --- working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 11, 23, 10, 0), local(2026, 11, 27, 0, 0)),  # Monday: by the end of Thursday
        (local(2026, 11, 27, 16, 0), local(2026, 12, 3, 0, 0)),  # Friday: by the end of Wednesday
        (local(2026, 11, 28, 9, 0), local(2026, 12, 3, 0, 0)),  # Saturday: the same
    ],
)
def test_reply_targets_count_working_days(received, due):
    assert rules.working_days_after(received, 3, LONDON, frozenset()) == due


def test_holidays_are_not_working_days():
    christmas_week = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    due = rules.working_days_after(local(2026, 12, 23, 15, 0), 3, LONDON, christmas_week)
    # Thursday 24th counts; Friday 25th, the weekend and Monday 28th do not; then 29th and 30th.
    assert due == local(2026, 12, 31, 0, 0)
    assert rules.due_words(due, LONDON) == "Wednesday 30 December"


def test_a_due_date_across_the_clock_change_is_local_midnight():
    due = rules.working_days_after(local(2026, 10, 23, 12, 0), 3, LONDON, frozenset())
    assert due == utc(2026, 10, 29, 0, 0)  # GMT again by then
    assert rules.due_words(due, LONDON) == "Wednesday 28 October"


# --- words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (local(2026, 11, 23, 17, 0), "today at 17:00"),
        (local(2026, 11, 24, 9, 0), "tomorrow at 09:00"),
        (local(2026, 11, 27, 9, 0), "Friday at 09:00"),
        (local(2026, 12, 7, 9, 0), "Monday 7 December at 09:00"),
    ],
)
def test_days_and_times_read_naturally(moment, words):
    assert rules.day_and_time(moment, local(2026, 11, 23, 8, 0), LONDON) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.2, "in 1 minute"),
        (45, "in 45 minutes"),
        (60, "in 1 hour"),
        (14 * 60 + 20, "in 14 hours"),
        (3 * 24 * 60, "in 3 days"),
    ],
)
def test_time_until_reads_naturally(minutes, words):
    now = local(2026, 11, 23, 8, 0)
    assert rules.time_until(now + timedelta(minutes=minutes), now) == words
