"""Admin for campaigns: make a partner's link, read it back, print its QR code.

Only people given the campaign permissions (and superusers) see any of it: a campaign's partner and
private note are the helpline's business, not every staff member's."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpline.languages import language_name
from helpline.models import Campaign
from helpline.stats import tallies


class CampaignForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("languages"),
        help_text=_(
            "The languages the link is meant for; a visitor lands in the first of these their browser "
            "asks for, else in the first one ticked. None ticked means every language."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "partner",
            "channel",
            "languages",
            "destination",
            "resource",
            "module",
            "starts_on",
            "ends_on",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        destination = data.get("destination")
        if destination == Campaign.Destination.RESOURCE and not data.get("resource"):
            self.add_error("resource", gettext("Choose the self-help page the link lands on."))
        if destination == Campaign.Destination.MODULE and not data.get("module"):
            self.add_error("module", gettext("Choose the guided module the link lands on."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise ValidationError({"ends_on": gettext("The campaign cannot end before it starts.")})
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["partner", "channel", "starts_on", "ends_on", "is_active", "short_link"]
    list_filter = ["channel"]
    search_fields = ["partner", "code"]
    readonly_fields = ["code", "full_link"]
    # What the form edits, after the two things only shown: the code and the link to give the partner.
    fields = ["code", "full_link", *CampaignForm.Meta.fields]

    @admin.display(boolean=True, description=_("active today"))
    def is_active(self, campaign: Campaign) -> bool:
        return campaign.is_active_on(tallies.service_date(timezone.now()))

    @admin.display(description=_("short link"))
    def short_link(self, campaign: Campaign) -> str:
        return campaign.link_path

    @admin.display(description=_("link to give the partner"))
    def full_link(self, campaign: Campaign) -> str:
        if campaign.pk is None:
            return gettext("The link is made when the campaign is saved.")
        qr_page = reverse("admin:helpline_campaign_qr", args=[campaign.pk])
        return format_html(
            '<code id="campaign-link">{}</code><br><a href="{}">{}</a>',
            self._absolute_link(campaign),
            qr_page,
            gettext("Printable QR code"),
        )

    def _absolute_link(self, campaign: Campaign) -> str:
        request = getattr(self, "_request", None)
        return request.build_absolute_uri(campaign.link_path) if request else campaign.link_path

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        self._request = request  # the full link is drawn with the host the admin is reached on
        return super().get_form(request, obj, change, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        qr = path("<int:pk>/qr/", self.admin_site.admin_view(self.qr_view), name="helpline_campaign_qr")
        return [qr, *super().get_urls()]

    def qr_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A page to print for the partner: the QR code (drawn here, no outside service), the link in
        large text, the partner and the languages."""
        campaign = self.get_object(request, str(pk))
        if campaign is None or not self.has_view_permission(request, campaign):
            raise Http404
        link = request.build_absolute_uri(campaign.link_path)
        qr = segno.make(link, error="m")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("QR code for %(partner)s") % {"partner": campaign.partner},
            "campaign": campaign,
            "link": link,
            "qr_svg": qr.svg_inline(scale=8, dark="#000000", light="#ffffff", title=link),
            "language_names": [language_name(code) for code in campaign.language_codes()],
            "all_languages": not campaign.languages,
        }
        response = TemplateResponse(request, "admin/helpline/campaign_qr.html", context)
        response["Cache-Control"] = "private, no-store"
        return response
