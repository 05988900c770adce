"""Partners' campaigns: a short link (/r/<code>/) given to a partner, counted only as daily aggregates.

A code is shared by everyone who follows the partner's link, so it says which link was followed, never
who followed it. Nothing about a visit is kept here: the counts live in helpline.stats' DailyCount."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/o, 1/l/i: a code read off a poster or a printed leaflet is typed right the first time.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def active_on(self, day: date) -> CampaignQuerySet:
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class Campaign(models.Model):
    class Channel(models.TextChoices):
        SEARCH_WARNING = "search_warning", _("Search warning")
        SOCIAL_ADVERT = "social_advert", _("Social media advert")
        POLICE_MESSAGE = "police_message", _("Police message")
        PROFESSIONAL_REFERRAL = "professional_referral", _("Professional referral")
        OTHER = "other", _("Other")

    class Destination(models.TextChoices):
        HOME = "home", _("Home page")
        LIBRARY = "library", _("Self-help library")
        RESOURCE = "resource", _("A self-help page")
        MODULE = "module", _("A guided module")
        CHAT = "chat", _("Live chat")
        SECURE_MESSAGES = "secure_messages", _("Secure messages")

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    partner = models.CharField(_("partner"), max_length=120)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("The languages the link is meant for; none ticked means every language."),
    )
    destination = models.CharField(
        _("lands on"), max_length=20, choices=Destination.choices, default=Destination.HOME
    )
    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("self-help page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only when the link lands on a self-help page."),
    )
    module = models.ForeignKey(
        "resources.GuidedModule",
        verbose_name=_("guided module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only when the link lands on a guided module."),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty to keep it open.")
    )
    note = models.TextField(_("private note for staff"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "partner"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_channel_display()}, {self.code})"

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def link_path(self) -> str:
        return reverse("campaign-link", args=[self.code])

    def language_codes(self) -> list[str]:
        """The campaign's languages in the site's order; every language when none was chosen."""
        offered = [code for code, _name in settings.LANGUAGES]
        return [code for code in offered if code in self.languages] or offered
