"""A staff member's availability and check-ins: whether routing may offer them chats."""

from __future__ import annotations

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
    StaffProfile,
)

Status = ChatSession.Status


def do_set_availability(profile: StaffProfile, availability: str) -> StaffProfile:
    if availability not in Availability.values:
        raise Refusal("bad_availability", gettext("Choose available, away or offline."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        StaffProfile.objects.filter(pk=profile.pk).update(
            availability=availability, availability_changed_at=now
        )
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
