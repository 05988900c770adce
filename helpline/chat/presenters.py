"""What the staff console and the supervisor board show: cards for offers and chats, labels, the
colleagues a chat can pass to, and the state their scripts catch up with. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpline.chat import presence, triage
from helpline.chat import queue as chat_queue
from helpline.languages import language_name
from helpline.models import (
    Availability,
    ChatSession,
    Escalation,
    Message,
    StaffNote,
    StaffProfile,
)
from helpline.staff import wellbeing
from helpline.staff.models import display_name_of

Status = ChatSession.Status
# Lazy: each member of staff reads them in their own interface language.
ABOUT_LABELS: dict[str, Promise] = {
    ChatSession.About.SELF: _("About themselves"),
    ChatSession.About.SOMEONE_ELSE: _("About someone else"),
    ChatSession.About.NOT_SAID: _("Did not say who it is about"),
}
STATUS_LABELS: dict[str, Promise] = {
    Status.WAITING: _("Waiting"),
    Status.OFFERED: _("Offered"),
    Status.ACTIVE: _("Live"),
    Status.ENDED: _("Ended"),
}


@dataclass
class ChatCard:
    """One chat as the console shows it."""

    chat: ChatSession
    # The transcript, with staff-only notes in their place in time (transcript_with_notes).
    messages: list[Message | StaffNote] = field(default_factory=list)
    colleagues: list[StaffProfile] = field(default_factory=list)
    draft: str = ""
    error: str = ""
    # Whether the seeker is still on the page (the shell's pulse keeps it current in the browser).
    seeker_presence: presence.SeekerPresence = presence.NOT_KNOWN

    # Handover notes shown on an offer (offer_cards); the newest note's id, for a console catching up.
    handover_notes: list[StaffNote] = field(default_factory=list)
    last_note: int = 0

    @property
    def ended(self) -> bool:
        return self.chat.status == Status.ENDED

    @property
    def ref(self) -> str:
        return self.chat.ref

    @property
    def language_name(self) -> str:
        return language_name(self.chat.language)

    @property
    def about_label(self) -> str:
        return str(ABOUT_LABELS.get(self.chat.about, ""))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.chat.status])

    @property
    def triage_labels(self) -> list[str]:
        return triage.staff_labels(self.chat)

    @property
    def topic_label(self) -> str:
        return triage.topic_label(self.chat)


def transcript_of(chat: ChatSession) -> list[Message]:
    return list(chat.messages.select_related("staff").order_by("seq"))


def transcript_with_notes(chat: ChatSession) -> list[Message | StaffNote]:
    """For staff pages only: the messages, and the chat's private notes where they fell in time."""
    entries: list[Message | StaffNote] = [*transcript_of(chat), *chat.staff_notes.select_related("author")]
    return sorted(entries, key=lambda entry: (entry.created_at, isinstance(entry, StaffNote)))


def last_note_ids(chat_ids: list[int]) -> dict[int, int]:
    found = (
        StaffNote.objects.filter(session_id__in=chat_ids)
        .values("session_id")
        .annotate(last=Max("id"))
        .values_list("session_id", "last")
    )
    return dict(found)


def wrap_ups_due(profile: StaffProfile) -> list[ChatSession]:
    """This person's chats still owed a wrap-up, the longest-ended first."""
    return list(ChatSession.objects.wrap_up_due().filter(staff=profile).order_by("ended_at"))


def free_colleagues(profile: StaffProfile) -> list[StaffProfile]:
    """Colleagues a chat can be passed to now: available, a free slot, no wrap-up outstanding, not
    resting (past the longest shift, or on a break after a heavy chat: helpline.staff.wellbeing)."""
    available = list(
        StaffProfile.objects.filter(availability=Availability.AVAILABLE)
        .exclude(pk=profile.pk)
        .select_related("user")
        .order_by("display_name", "id")
    )
    ids = [p.id for p in available]
    loads = chat_queue.staff_loads(ids)
    due = chat_queue.staff_with_wrap_up_due(ids)
    resting = wellbeing.resting_ids(available, timezone.now())  # past the longest shift, or on a break
    return [
        p for p in available if loads.get(p.id, 0) < p.max_chats and p.id not in due and p.id not in resting
    ]


def chat_cards(
    profile: StaffProfile, drafts: dict[str, str], errors: dict[str, str], *, with_messages: bool = True
) -> list[ChatCard]:
    live = list(ChatSession.objects.live_with(profile))
    colleagues = free_colleagues(profile)
    seen = presence.seeker_presence([c.id for c in live], timezone.now().timestamp())
    last_notes = last_note_ids([c.id for c in live])
    cards = []
    for chat in live + wrap_ups_due(profile):
        hex_id = chat.public_id.hex
        card = ChatCard(
            chat=chat,
            messages=transcript_with_notes(chat) if with_messages else [],
            colleagues=[p for p in colleagues if chat.language in p.languages],
            draft=drafts.get(hex_id, ""),
            error=errors.get(hex_id, ""),
        )
        if chat.id in seen:
            card.seeker_presence = seen[chat.id]
        card.last_note = last_notes.get(chat.id, 0)
        cards.append(card)
    return cards


def offers_to(profile: StaffProfile) -> list[ChatSession]:
    return list(
        ChatSession.objects.filter(status=Status.OFFERED, offered_to=profile).order_by(
            "offer_expires_at", "id"
        )
    )


def offer_cards(profile: StaffProfile) -> list[ChatCard]:
    offers = offers_to(profile)
    seen = presence.seeker_presence([c.id for c in offers], timezone.now().timestamp())
    handovers: dict[int, list[StaffNote]] = {}
    for note in StaffNote.objects.filter(session__in=offers, kind=StaffNote.Kind.HANDOVER).select_related(
        "author"
    ):
        handovers.setdefault(note.session_id, []).append(note)
    return [
        ChatCard(chat=chat, seeker_presence=seen[chat.id], handover_notes=handovers.get(chat.id, []))
        for chat in offers
    ]


def _on_duty() -> list[dict[str, object]]:
    """Everyone not offline, anyone still holding a live chat, and first of all anyone whose connection
    was lost (every page of theirs fell silent and their chats went back to the queue): a supervisor
    checks on them first."""
    people = list(
        StaffProfile.objects.filter(
            ~Q(availability=Availability.OFFLINE)
            | Q(chats__status=Status.ACTIVE)
            | Q(connection_lost_at__isnull=False)
        )
        .distinct()
        .order_by(F("connection_lost_at").desc(nulls_last=True), "display_name", "id")
    )
    ids = [p.id for p in people]
    loads = chat_queue.staff_loads(ids)
    due = chat_queue.staff_with_wrap_up_due(ids)
    return [
        {
            "id": p.id,
            "name": p.display_name,
            "availability": "lost" if p.connection_lost_at else p.availability,
            "availability_label": (
                gettext("Connection lost at %(time)s: their chats went back to the queue")
                % {"time": _clock(p.connection_lost_at)}
                if p.connection_lost_at
                else str(Availability(p.availability).label)
            ),
            "chats": loads.get(p.id, 0),
            "max_chats": p.max_chats,
            "wrap_up_due": p.id in due,
        }
        for p in people
    ]


def _clock(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def board_state() -> dict[str, object]:
    """What templates/helpline/staff/_board_state.html draws (the queue is in the page header)."""
    escalations = Escalation.objects.filter(decision="").select_related("session", "raised_by")
    live = (
        ChatSession.objects.filter(status=Status.ACTIVE)
        .select_related("staff", "joined_by")
        .order_by("answered_at")
    )
    return {
        "on_duty": _on_duty(),
        "escalations": [
            {
                "id": e.id,
                "chat": e.session.public_id.hex,
                "ref": e.session.ref,
                "url": reverse("staff-transcript", args=[e.session.public_id]),
                "reason": str(e.get_reason_display()),
                "raised_by": display_name_of(e.raised_by),
                "raised_at": e.raised_at.isoformat(),
                "raised_at_label": _clock(e.raised_at),
                "chat_status": str(STATUS_LABELS[e.session.status]),
            }
            for e in escalations
        ],
        "live": [
            {
                "chat": chat.public_id.hex,
                "ref": chat.ref,
                "url": reverse("staff-transcript", args=[chat.public_id]),
                "language_name": language_name(chat.language),
                "staff": display_name_of(chat.staff),
                "answered_at": chat.answered_at.isoformat() if chat.answered_at else "",
                "answered_at_label": _clock(chat.answered_at),
                "escalated": chat.escalated,
                "joined_by": display_name_of(chat.joined_by),
                "triage": triage.staff_labels(chat),
            }
            for chat in live
        ],
        # Staff wellbeing: who has been on longest, and who asked for a debrief (helpline.staff.wellbeing).
        "team": wellbeing.team_on_shift(),
        "debriefs": wellbeing.open_debrief_requests(),
    }
