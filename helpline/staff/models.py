"""Helpline staff: who answers, in which languages, and whether they are free to take a chat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

STAFF_GROUP = "Helpline staff"
SUPERVISOR_GROUP = "Supervisors"


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpline_profile"
    )
    # A short name seekers see ("Sam"), never the account name.
    display_name = models.CharField(max_length=40, default="Helpline staff")
    availability = models.CharField(max_length=10, choices=Availability.choices, default=Availability.OFFLINE)
    languages = models.JSONField(default=list, help_text='Language codes this person chats in, e.g. ["en"].')
    max_chats = models.PositiveSmallIntegerField(default=3)
    idle_since = models.DateTimeField(
        default=timezone.now, help_text="When this person last had a free slot."
    )
    availability_changed_at = models.DateTimeField(default=timezone.now)
    # Set when every page of theirs fell silent past the grace period and their chats were requeued;
    # cleared when any page of theirs checks in again. The supervisor board lists them first.
    connection_lost_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.user})"


def display_name_of(profile: StaffProfile | None) -> str:
    """The short name seekers and colleagues see ("Sam"); blank where nobody is named."""
    return profile.display_name if profile else ""
