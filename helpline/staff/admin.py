"""Admin for staff: accounts with their helpline profile, sign-in lockouts and second-factor devices."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp import devices_for_user

from helpline.models import StaffProfile
from helpline.staff.forms import StaffProfileForm

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name = "Helpline profile"
    verbose_name_plural = "Helpline profile"
    # Availability changes only through the console (helpline.staff.actions), which requeues and notifies.
    fields = ["display_name", "languages", "max_chats", "availability"]
    readonly_fields = ["availability"]


class HelplineUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffProfileInline]
    actions = ["unlock_sign_in", "reset_second_factor"]

    @admin.action(description="Unlock sign-in after too many failed attempts")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            axes_reset(username=user.get_username())
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} account(s).")

    @admin.action(description="Reset two-factor sign-in (they set it up again at next sign-in)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
        self.message_user(request, f"Two-factor sign-in reset for {queryset.count()} account(s).")


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, HelplineUserAdmin)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "availability", "languages", "max_chats"]
    list_filter = ["availability"]
    search_fields = ["display_name", "user__username"]
    form = StaffProfileForm
    fields = ["user", "display_name", "languages", "max_chats", "availability", "availability_changed_at"]
    readonly_fields = ["availability", "availability_changed_at"]
    raw_id_fields = ["user"]
