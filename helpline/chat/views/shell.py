"""The staff page shell: what every staff page's header shows, and the pulse that keeps it current.

Presence belongs to the signed-in person, not to the console's socket: any open staff page (the inbox,
a wrap-up, the statistics) checks in through its pulse (`static/js/staff-shell.js`), or, without
JavaScript, through a small frame that refreshes itself. The same pulse brings offers, the person's
live chats (with whether each seeker is still on the page) and the queue, so an offer is seen and
accepted from whatever page the person is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from helpline.chat import presence
from helpline.chat import queue as chat_queue
from helpline.chat.presenters import ChatCard, offers_to, wrap_ups_due
from helpline.chat.queue import longest_wait_words
from helpline.models import Availability, ChatSession, Message, StaffProfile
from helpline.staff import wellbeing
from helpline.staff.access import StaffRequest, staff_required

Status = ChatSession.Status
# Seeker messages looked at per chat for unread counts: more than anyone types between two pulses.
RECENT_SEEKER_MESSAGES = 50


@dataclass(frozen=True)
class ShellChat:
    chat: ChatSession
    seeker: presence.SeekerPresence
    seeker_seqs: list[int]

    @property
    def ref(self) -> str:
        return self.chat.ref

    @property
    def url(self) -> str:
        return f"{reverse('staff-console')}#chat-{self.chat.public_id.hex}"


@dataclass(frozen=True)
class Shell:
    """Everything the header of a staff page shows for one person."""

    profile: StaffProfile
    offers: list[ChatCard]  # as the console shows them, with the seeker's presence
    chats: list[ShellChat]
    queue: chat_queue.QueueOverview
    wrap_ups_due: int
    # The person's own time on shift, break and debrief request (helpline.staff.wellbeing).
    wellbeing: wellbeing.WellbeingStatus | None = None

    @property
    def queue_wait(self) -> str:
        return longest_wait_words(self.queue.oldest_wait_seconds)

    @property
    def availability_label(self) -> str:
        return str(Availability(self.profile.availability).label)

    def as_json(self) -> dict[str, Any]:
        return {
            "now": timezone.now().isoformat(),
            "availability": self.profile.availability,
            "availability_label": self.availability_label,
            "queue": self.queue.as_event(),
            "offers": [
                {
                    "chat": o.chat.public_id.hex,
                    "ref": o.ref,
                    "language_name": o.language_name,
                    "about": o.about_label,
                    "triage": o.triage_labels,
                    "expires_at": o.chat.offer_expires_at.isoformat() if o.chat.offer_expires_at else None,
                    "accept_url": reverse("staff-accept", args=[o.chat.public_id]),
                    "decline_url": reverse("staff-decline", args=[o.chat.public_id]),
                    "seeker": o.seeker_presence.as_event(),
                }
                for o in self.offers
            ],
            "chats": [
                {
                    "chat": c.chat.public_id.hex,
                    "ref": c.ref,
                    "url": c.url,
                    "last_seq": c.chat.last_seq,
                    "seeker_seqs": c.seeker_seqs,
                    "seeker": c.seeker.as_event(),
                }
                for c in self.chats
            ],
            "wrap_ups_due": self.wrap_ups_due,
        }


def shell_for(profile: StaffProfile) -> Shell:
    """Eight small queries and one cache read, whatever page the person is on."""
    offers = offers_to(profile)
    live = list(ChatSession.objects.live_with(profile))
    seen = presence.seeker_presence([c.id for c in offers + live], timezone.now().timestamp())
    recent: dict[int, list[int]] = {c.id: [] for c in live}
    if live:
        floor = min(c.last_seq for c in live) - RECENT_SEEKER_MESSAGES
        for session_id, seq in (
            Message.objects.filter(session__in=live, sender=Message.Sender.SEEKER, seq__gt=floor)
            .order_by("seq")
            .values_list("session_id", "seq")
        ):
            recent[session_id].append(seq)
    return Shell(
        profile=profile,
        offers=[ChatCard(chat=c, seeker_presence=seen[c.id]) for c in offers],
        chats=[ShellChat(c, seen[c.id], recent[c.id][-RECENT_SEEKER_MESSAGES:]) for c in live],
        queue=chat_queue.queue_overview(),
        wrap_ups_due=len(wrap_ups_due(profile)),
        wellbeing=wellbeing.wellbeing_status(profile),
    )


def pulse_seconds() -> int:
    return max(1, int(settings.HELPLINE["STAFF_PULSE_SECONDS"]))


@require_GET
@staff_required
def pulse(request: StaffRequest) -> HttpResponse:
    """The shell's heartbeat (staff_required has checked the person in) and what the header shows."""
    shell = shell_for(request.profile)
    state = shell.as_json()
    # Drawn by the same template as the page's header (with its form's token), for the script to swap in.
    state["wellbeing_html"] = render_to_string(
        "helpline/staff/_wellbeing_status.html", {"wellbeing": shell.wellbeing}, request=request
    )
    return JsonResponse(state)


@require_GET
@xframe_options_sameorigin
@staff_required
def pulse_frame(request: StaffRequest) -> HttpResponse:
    """Without JavaScript: a small frame in the header that refreshes itself, keeping the person
    present while they read or type on any staff page, and showing offers with an Accept button."""
    response = render(
        request,
        "helpline/staff/pulse_frame.html",
        {"shell": shell_for(request.profile), "refresh_seconds": pulse_seconds() * 2},
    )
    # This one staff page may be framed, by our own staff pages only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    return response


class LazyShell:
    """The header's data, worked out only if a template asks for it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def shell(self) -> Shell | None:
        profile = getattr(self.request, "profile", None)
        return shell_for(profile) if isinstance(profile, StaffProfile) else None

    @property
    def pulse_seconds(self) -> int:
        return pulse_seconds()

    @property
    def availability_choices(self) -> list[tuple[str, str | Promise]]:
        return list(Availability.choices)


def staff_shell(request: HttpRequest) -> dict[str, Any]:
    """Context processor. Costs nothing on public pages: only staff views set `request.profile`
    (staff_required), and nothing is read until a staff template asks."""
    return {"staff_shell": LazyShell(request)} if hasattr(request, "profile") else {}
