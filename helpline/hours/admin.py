"""Admin for opening hours, holidays and one-off closures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext

from helpline.models import Holiday, OpeningHours, ServiceClosure


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["language", "weekday", "opens_at", "closes_at"]
    list_filter = ["language", "weekday"]
    ordering = ["language", "weekday", "opens_at"]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # The one rule an admin must know before adding the first row: none at all means always open.
        if not OpeningHours.objects.exists():
            messages.info(
                request,
                gettext(
                    "No opening hours are set, so live chat is treated as open around the clock. Once you "
                    "add hours for a language, live chat in that language follows them, and languages "
                    "without hours of their own offer no live chat. Secure messages are open at all times."
                ),
            )
        return super().changelist_view(request, extra_context)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "language"]
    list_filter = ["language"]
    date_hierarchy = "date"


@admin.register(ServiceClosure)
class ServiceClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "starts_at", "ends_at", "language"]
    list_filter = ["language"]
    date_hierarchy = "starts_at"
