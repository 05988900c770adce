"""Helpline staff: who answers, in which languages, and whether they are free to take a chat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAFF_GROUP = "Helpline staff"
SUPERVISOR_GROUP = "Supervisors"


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class Skill(models.TextChoices):
    """What a member of staff is trained for beyond the common ground: a chat whose topic needs one is
    offered to someone with it first (helpline.chat.routing), and to anyone after a set wait."""

    AFTER_ARREST = "after_arrest", _("After an arrest or police contact")
    SOMEONE_ELSE = "someone_else", _("Worried about someone else")
    YOUNG_PEOPLE = "young_people", _("Young people")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpline_profile"
    )
    # A short name seekers see ("Sam"), never the account name.
    display_name = models.CharField(_("display name"), max_length=40, default="Helpline staff")
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.OFFLINE
    )
    languages = models.JSONField(
        _("chat languages"), default=list, help_text=_('Language codes this person chats in, e.g. ["en"].')
    )
    skills = models.JSONField(
        _("skills"),
        default=list,
        blank=True,
        help_text=_("Topics this person is trained for; chats about them are offered to them first."),
    )
    max_chats = models.PositiveSmallIntegerField(_("most chats at once"), default=3)
    idle_since = models.DateTimeField(
        _("free since"), default=timezone.now, help_text=_("When this person last had a free slot.")
    )
    availability_changed_at = models.DateTimeField(_("availability changed at"), default=timezone.now)
    # The language of this person's own staff pages (helpline.staff.middleware), whatever the
    # languages they chat in: a Dutch-speaking worker may answer chats in English and Arabic.
    interface_language = models.CharField(
        _("language of the staff pages"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language this person reads the console, inbox and statistics in."),
    )
    # Set when every page of theirs fell silent past the grace period and their chats were requeued;
    # cleared when any page of theirs checks in again. The supervisor board lists them first.
    connection_lost_at = models.DateTimeField(_("connection lost at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.user})"


def display_name_of(profile: StaffProfile | None) -> str:
    """The short name seekers and colleagues see ("Sam"); blank where nobody is named."""
    return profile.display_name if profile else ""


class TranslationCatalogue(models.Model):
    """No table: gives the admin index a "Translation catalogues" entry, whose page lists each
    language's catalogue and how far its review has come (helpline.staff.admin, read from the files
    by config.catalogues, never from the database)."""

    language = models.CharField(_("language"), max_length=8, primary_key=True)

    class Meta:
        managed = False
        verbose_name = _("translation catalogue")
        verbose_name_plural = _("translation catalogues")

    def __str__(self) -> str:
        return self.language
