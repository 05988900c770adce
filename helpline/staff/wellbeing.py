"""Staff wellbeing: how long each person has been available for chats today, the longest shift, and
the short break after a heavy chat. Nothing here is about a seeker or a chat's content.

Time on shift is the sum of the person's stretches of availability (ShiftSpan) since the start of
the service day (HELPLINE["SHIFT_DAY_STARTS_HOUR"], local time). Every change of availability opens or
closes a stretch (`note_availability`); a stretch someone forgot to close (the availability changed by
a path that does not call it, say the admin) is counted only up to the last change of availability,
so a missed call can never make a shift look longer than the person was available.

Routing leaves out anyone resting (routing.StaffSlot.resting): past the cap with no extension from a
supervisor, or inside a break. Their live chats stay with them. The records are kept no longer than
chats (helpline.retention)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from helpline.staff.models import (
    Availability,
    DebriefRequest,
    ShiftExtension,
    ShiftSpan,
    StaffProfile,
)


def service_day_start(now: datetime) -> datetime:
    """When the current service day began: the configured local hour, today or yesterday."""
    local = timezone.localtime(now)
    start = local.replace(hour=settings.HELPLINE["SHIFT_DAY_STARTS_HOUR"], minute=0, second=0, microsecond=0)
    if start > local:
        start -= timedelta(days=1)
    return start


# --- recording (called inside the actions that change availability or end a chat) -------------


def note_availability(profile_id: int, availability: str, now: datetime) -> None:
    """Open a stretch of time on shift when a person becomes available; close it when they stop."""
    open_spans = ShiftSpan.objects.filter(staff_id=profile_id, ended_at__isnull=True)
    if availability == Availability.AVAILABLE:
        if not open_spans.exists():
            ShiftSpan.objects.create(staff_id=profile_id, started_at=now)
    else:
        open_spans.update(ended_at=now)


def heavy_chat(answered_at: datetime | None, ended_at: datetime | None, escalated: bool) -> bool:
    if answered_at is None or ended_at is None:
        return False
    long_chat = ended_at - answered_at >= timedelta(minutes=settings.HELPLINE["HEAVY_CHAT_MINUTES"])
    return escalated or long_chat


def start_break_after_chat(
    staff_id: int | None, answered_at: datetime | None, ended_at: datetime | None, escalated: bool
) -> bool:
    """After a heavy chat ends, offers to its member of staff pause for a short break."""
    if staff_id is None or not heavy_chat(answered_at, ended_at, escalated):
        return False
    assert ended_at is not None
    until = ended_at + timedelta(minutes=settings.HELPLINE["BREAK_MINUTES"])
    return StaffProfile.objects.filter(pk=staff_id).update(break_until=until) == 1


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftState:
    """One person's shift today, as their header and the supervisor board show it."""

    seconds_on_shift: int
    cap_minutes: int  # the longest shift, with today's extensions
    break_until: datetime | None
    now: datetime

    @property
    def warning(self) -> bool:
        return self.seconds_on_shift >= settings.HELPLINE["SHIFT_WARNING_MINUTES"] * 60

    @property
    def capped(self) -> bool:
        return self.seconds_on_shift >= self.cap_minutes * 60

    @property
    def on_break(self) -> bool:
        return self.break_until is not None and self.break_until > self.now

    @property
    def resting(self) -> bool:
        return self.capped or self.on_break

    @property
    def length_words(self) -> str:
        return shift_length_words(self.seconds_on_shift)

    @property
    def cap_words(self) -> str:
        return shift_length_words(self.cap_minutes * 60)

    @property
    def extension_words(self) -> str:
        return shift_length_words(settings.HELPLINE["SHIFT_EXTENSION_MINUTES"] * 60)

    @property
    def break_until_label(self) -> str:
        return timezone.localtime(self.break_until).strftime("%H:%M") if self.break_until else ""


def shift_length_words(seconds: int) -> str:
    """ "45 min", "3 h 20 min": short, for a header that is read at a glance."""
    minutes = max(0, seconds) // 60
    if minutes < 60:
        return gettext("%(minutes)s min") % {"minutes": minutes}
    if minutes % 60 == 0:
        return gettext("%(hours)s h") % {"hours": minutes // 60}
    return gettext("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}


def shift_states(profiles: Iterable[StaffProfile], now: datetime | None = None) -> dict[int, ShiftState]:
    """Each person's shift today, in two queries whatever the number of people."""
    now = now or timezone.now()
    people = {p.id: p for p in profiles}
    if not people:
        return {}
    day_start = service_day_start(now)
    seconds = {pid: 0.0 for pid in people}
    spans = ShiftSpan.objects.filter(staff_id__in=people).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=day_start)
    )
    open_span = set()
    for staff_id, started_at, ended_at in spans.values_list("staff_id", "started_at", "ended_at"):
        person = people[staff_id]
        if ended_at is None:
            open_span.add(staff_id)
            # Open but the person is no longer available: a path that changed it did not close it.
            ended_at = (
                now if person.availability == Availability.AVAILABLE else person.availability_changed_at
            )
        seconds[staff_id] += _overlap(started_at, ended_at, day_start, now)
    for pid, person in people.items():
        # Available since before stretches were recorded (or set so by the admin): from that change.
        if person.availability == Availability.AVAILABLE and pid not in open_span:
            seconds[pid] += _overlap(person.availability_changed_at, now, day_start, now)
    extended = dict(
        ShiftExtension.objects.filter(staff_id__in=people, extended_at__gte=day_start)
        .values("staff_id")
        .annotate(minutes=Sum("minutes"))
        .values_list("staff_id", "minutes")
    )
    cap = settings.HELPLINE["SHIFT_CAP_MINUTES"]
    return {
        pid: ShiftState(
            seconds_on_shift=int(seconds[pid]),
            cap_minutes=cap + (extended.get(pid) or 0),
            break_until=person.break_until,
            now=now,
        )
        for pid, person in people.items()
    }


def shift_state(profile: StaffProfile, now: datetime | None = None) -> ShiftState:
    return shift_states([profile], now)[profile.id]


def _overlap(start: datetime, end: datetime, window_start: datetime, window_end: datetime) -> float:
    return max(0.0, (min(end, window_end) - max(start, window_start)).total_seconds())


def resting_ids(profiles: Iterable[StaffProfile], now: datetime) -> set[int]:
    """Who routing must not offer a new chat to now."""
    return {pid for pid, state in shift_states(profiles, now).items() if state.resting}


def open_debrief_request(profile: StaffProfile) -> DebriefRequest | None:
    """This person's own request not yet arranged, for the confirmation in their header."""
    return (
        DebriefRequest.objects.filter(staff=profile, arranged_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )


def open_debrief_requests() -> list[DebriefRequest]:
    return list(
        DebriefRequest.objects.filter(arranged_at__isnull=True)
        .select_related("staff")
        .order_by("requested_at")
    )


@dataclass(frozen=True)
class WellbeingStatus:
    """What the header of every staff page says about the person's own shift, break and debrief."""

    profile: StaffProfile
    shift: ShiftState
    debrief: DebriefRequest | None

    @property
    def shown(self) -> bool:
        return (
            self.shift.seconds_on_shift >= 60
            or self.profile.availability == Availability.AVAILABLE
            or self.shift.on_break
            or self.debrief is not None
        )

    @property
    def debrief_requested_label(self) -> str:
        return timezone.localtime(self.debrief.requested_at).strftime("%H:%M") if self.debrief else ""


def wellbeing_status(profile: StaffProfile, now: datetime | None = None) -> WellbeingStatus:
    return WellbeingStatus(profile, shift_state(profile, now), open_debrief_request(profile))


@dataclass(frozen=True)
class TeamMember:
    """One person on the supervisor board's Team section."""

    profile: StaffProfile
    shift: ShiftState

    @property
    def name(self) -> str:
        return self.profile.display_name


def team_on_shift(now: datetime | None = None) -> list[TeamMember]:
    """Everyone not offline or with time on shift today, the longest on shift first."""
    now = now or timezone.now()
    day_start = service_day_start(now)
    people = list(
        StaffProfile.objects.filter(
            ~Q(availability=Availability.OFFLINE)
            | Q(shift_spans__ended_at__gt=day_start)
            | Q(break_until__gt=now)
        ).distinct()
    )
    states = shift_states(people, now)
    team = [TeamMember(p, states[p.id]) for p in people]
    return sorted(team, key=lambda m: (-m.shift.seconds_on_shift, m.profile.display_name, m.profile.id))


def forget_before(cutoff: datetime) -> int:
    """The retention purge (helpline.retention): wellbeing records go after the chats' period."""
    deleted = ShiftSpan.objects.filter(ended_at__lt=cutoff).delete()[0]
    deleted += ShiftExtension.objects.filter(extended_at__lt=cutoff).delete()[0]
    deleted += DebriefRequest.objects.filter(requested_at__lt=cutoff).delete()[0]
    StaffProfile.objects.filter(break_until__lt=cutoff).update(break_until=None)
    return deleted
