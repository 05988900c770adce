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
    # After a heavy chat (escalated, or long) no new offers until then, unless the person chooses to go
    # on (helpline.staff.wellbeing). Past moments mean nothing; the retention purge clears old ones.
    break_until = models.DateTimeField(_("on a break until"), null=True, blank=True)

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


# --- wellbeing: time on shift, extensions, debrief requests (helpline.staff.wellbeing) -------------
# About staff only, never about a chat or a seeker; deleted by the retention purge like chats.


class ShiftSpan(models.Model):
    """A stretch of time one person was available for chats; open (no end) while they still are."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="shift_spans")
    started_at = models.DateTimeField(_("available from"))
    ended_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift span")
        verbose_name_plural = _("shift spans")
        indexes = [models.Index(fields=["staff", "started_at"])]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.started_at} to {self.ended_at or 'now'}"


class ShiftExtension(models.Model):
    """A supervisor let one person go on taking chats past the longest shift, for a while."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="shift_extensions")
    extended_by = models.ForeignKey(
        StaffProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extended_at = models.DateTimeField(_("extended at"), default=timezone.now)
    minutes = models.PositiveSmallIntegerField(_("minutes added"))

    class Meta:
        verbose_name = _("shift extension")
        verbose_name_plural = _("shift extensions")

    def __str__(self) -> str:
        return f"{self.staff_id}: +{self.minutes} min"


class DebriefRequest(models.Model):
    """A member of staff asked to talk something through with a supervisor. Tied to no chat."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="debrief_requests")
    note = models.CharField(_("note"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    arranged_by = models.ForeignKey(
        StaffProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    arranged_at = models.DateTimeField(_("arranged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("debrief request")
        verbose_name_plural = _("debrief requests")

    def __str__(self) -> str:
        return f"{self.staff_id} at {self.requested_at}"
