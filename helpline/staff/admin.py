"""Admin for staff: accounts with their helpline profile, sign-in lockouts and second-factor devices."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from config.catalogues import catalogue_status
from helpline.languages import language_name
from helpline.models import StaffProfile
from helpline.staff.forms import StaffProfileForm
from helpline.staff.models import TranslationCatalogue

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name = _("Helpline profile")
    verbose_name_plural = _("Helpline profile")
    # Availability changes only through the console (helpline.staff.actions), which requeues and notifies.
    fields = ["display_name", "languages", "skills", "interface_language", "max_chats", "availability"]
    readonly_fields = ["availability"]


class HelplineUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffProfileInline]
    actions = ["unlock_sign_in", "reset_second_factor"]

    @admin.action(description=_("Unlock sign-in after too many failed attempts"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            axes_reset(username=user.get_username())
        count = queryset.count()
        self.message_user(request, gettext("Sign-in unlocked for %(count)s account(s).") % {"count": count})

    @admin.action(description=_("Reset two-factor sign-in (they set it up again at next sign-in)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
        count = queryset.count()
        self.message_user(
            request, gettext("Two-factor sign-in reset for %(count)s account(s).") % {"count": count}
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, HelplineUserAdmin)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "availability", "languages", "max_chats"]
    list_filter = ["availability"]
    search_fields = ["display_name", "user__username"]
    form = StaffProfileForm
    fields = [
        "user",
        "display_name",
        "languages",
        "skills",
        "interface_language",
        "max_chats",
        "availability",
        "availability_changed_at",
    ]
    readonly_fields = ["availability", "availability_changed_at"]
    raw_id_fields = ["user"]


@admin.register(TranslationCatalogue)
class TranslationCatalogueAdmin(admin.ModelAdmin):
    """One page, read-only: each language's catalogue, how much of it is translated and how far its
    review by a native-speaking helpline worker has come. Read from the .po files themselves, so it is
    true of what is deployed. Behind the admin site (a verified second factor), for staff accounts."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        statuses = catalogue_status()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Translation catalogues"),
            "catalogues": [{"status": s, "name": language_name(s.language)} for s in statuses],
            "summary": ngettext("%(count)s catalogue", "%(count)s catalogues", len(statuses))
            % {"count": len(statuses)},
        }
        return TemplateResponse(request, "admin/helpline/catalogue_status.html", context)
