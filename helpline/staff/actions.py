"""A staff member's availability and check-ins: whether routing may offer them chats."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from helpline import events
from helpline.chat import presence, texts
from helpline.chat.actions.offers import do_return_to_queue
from helpline.errors import Refusal
from helpline.jobs import request_routing
from helpline.models import (
    Availability,
    ChatSession,
    DebriefRequest,
    ShiftExtension,
    StaffProfile,
)
from helpline.staff import wellbeing

Status = ChatSession.Status


def do_set_availability(profile: StaffProfile, availability: str) -> StaffProfile:
    if availability not in Availability.values:
        raise Refusal("bad_availability", gettext("Choose available, away or offline."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        StaffProfile.objects.filter(pk=profile.pk).update(
            availability=availability, availability_changed_at=now
        )
        wellbeing.note_availability(profile.pk, availability, now)
        profile.refresh_from_db()
        if availability != Availability.AVAILABLE:
            # Offers waiting for this person go to someone else; their live chats stay with them.
            for chat in ChatSession.objects.filter(status=Status.OFFERED, offered_to=profile):
                do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
        events.publish(events.staff_group(profile.id), "availability", availability=availability)
        request_routing()
    presence.touch_staff(profile.id, now.timestamp())
    return profile


def check_in_staff(profile: StaffProfile) -> None:
    """Any open staff page, or the console's socket, says the person is still at work."""
    presence.touch_staff(profile.id, timezone.now().timestamp())
    # Back after a lost connection: the supervisor board stops listing them as lost. (A socket's copy
    # of the profile may be older than the flag, so the database decides; no row matches most times.)
    StaffProfile.objects.filter(pk=profile.pk, connection_lost_at__isnull=False).update(
        connection_lost_at=None
    )
    profile.connection_lost_at = None


def do_set_interface_language(profile: StaffProfile, language: str) -> StaffProfile:
    """The language of this person's own staff pages (not the languages they chat in)."""
    if language not in dict(settings.LANGUAGES):
        raise Refusal("bad_language", gettext("Choose one of the languages in the list."))
    StaffProfile.objects.filter(pk=profile.pk).update(interface_language=language)
    profile.interface_language = language
    return profile


# --- wellbeing: breaks, the longest shift, debriefs (helpline.staff.wellbeing) -------------------

DEBRIEF_NOTE_MAX_LENGTH = 200


def do_end_break(profile: StaffProfile) -> StaffProfile:
    """The person chose to go on taking chats after a heavy one: the pause ends at once."""
    with transaction.atomic(durable=True):
        StaffProfile.objects.filter(pk=profile.pk).update(break_until=None)
        profile.break_until = None
        request_routing()
    return profile


def do_extend_shift(profile: StaffProfile, supervisor: StaffProfile) -> ShiftExtension:
    """A supervisor lets someone past the longest shift take chats again, for a while (recorded)."""
    with transaction.atomic(durable=True):
        extension = ShiftExtension.objects.create(
            staff=profile, extended_by=supervisor, minutes=settings.HELPLINE["SHIFT_EXTENSION_MINUTES"]
        )
        events.publish(events.SUPERVISORS_GROUP, "team.changed")
        request_routing()
    return extension


def do_request_debrief(profile: StaffProfile, note: str) -> DebriefRequest:
    """Ask the supervisors for a debrief: an alert on their board, tied to no chat."""
    note = " ".join(note.split())
    if len(note) > DEBRIEF_NOTE_MAX_LENGTH:
        raise Refusal(
            "note_too_long",
            gettext("Please keep the note to %(count)s characters or fewer.")
            % {"count": DEBRIEF_NOTE_MAX_LENGTH},
        )
    if any(unicodedata.category(ch) == "Cc" for ch in note):  # a NUL, say: PostgreSQL refuses it
        raise Refusal(
            "bad_characters",
            gettext("That message contains control characters we cannot show. Please retype it."),
        )
    with transaction.atomic(durable=True):
        request = DebriefRequest.objects.create(staff=profile, note=note)
        events.publish(
            events.SUPERVISORS_GROUP, "debrief.requested", debrief=request.id, name=profile.display_name
        )
    return request


def do_arrange_debrief(request: DebriefRequest, supervisor: StaffProfile) -> DebriefRequest:
    with transaction.atomic(durable=True):
        marked = DebriefRequest.objects.filter(pk=request.pk, arranged_at__isnull=True).update(
            arranged_by=supervisor, arranged_at=timezone.now()
        )
        if marked != 1:
            raise Refusal("already_arranged", gettext("Someone has already marked this debrief as arranged."))
        request.refresh_from_db()
        events.publish(events.SUPERVISORS_GROUP, "debrief.arranged", debrief=request.id)
    return request
