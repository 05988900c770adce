"""Admin for the chat service. Admins manage staff profiles and stock replies; chats, wrap-ups and
escalations are read-only records here, and no message text is shown anywhere in the admin."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp import devices_for_user

from helpline.forms import StaffProfileForm
from helpline.models import CannedResponse, ChatSession, Escalation, StaffProfile, WrapUp

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name = "Helpline profile"
    verbose_name_plural = "Helpline profile"
    # Availability changes only through the console (helpline.actions), which requeues and notifies.
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


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title", "body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for statistics and accountability: viewable, never edited or added by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChatSession)
class ChatSessionAdmin(ReadOnlyAdmin):
    # No transcript and no token hash: the list and the detail show the shape of a chat only.
    list_display = [
        "short_id",
        "status",
        "language",
        "about",
        "created_at",
        "answered_at",
        "ended_at",
        "end_reason",
        "escalated",
        "staff",
    ]
    list_filter = ["status", "language", "end_reason", "escalated"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "public_id",
        "status",
        "language",
        "about",
        "priority",
        "created_at",
        "queued_at",
        "answered_at",
        "ended_at",
        "end_reason",
        "staff",
        "escalated",
        "last_seq",
    )

    @admin.display(description="Chat")
    def short_id(self, obj: ChatSession) -> str:
        return obj.public_id.hex[:6]


@admin.register(WrapUp)
class WrapUpAdmin(ReadOnlyAdmin):
    list_display = ["chat", "staff", "outcome", "about", "heard_from", "created_at"]
    list_filter = ["outcome", "about", "heard_from"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "chat",
        "staff",
        "outcome",
        "about",
        "topics",
        "protective_actions",
        "heard_from",
        "created_at",
    )
    list_select_related = ["session", "staff"]

    @admin.display(description="Chat")
    def chat(self, obj: WrapUp) -> str:
        return obj.session.public_id.hex[:6]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["chat", "reason", "raised_by", "raised_at", "decision", "decided_by", "decided_at"]
    list_filter = ["reason", "decision"]
    date_hierarchy = "raised_at"
    fields = readonly_fields = (
        "chat",
        "reason",
        "raised_by",
        "raised_at",
        "decision",
        "decided_by",
        "decided_at",
    )
    list_select_related = ["session", "raised_by", "decided_by"]

    @admin.display(description="Chat")
    def chat(self, obj: Escalation) -> str:
        return obj.session.public_id.hex[:6]


# --- opening hours and secure messages (appended) ---------------------------------------------

from django.contrib import messages  # noqa: E402

from helpline.models import Holiday, OpeningHours, SecureThread, ServiceClosure  # noqa: E402


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
                "No opening hours are set, so live chat is treated as open around the clock. Once you add "
                "hours for a language, live chat in that language follows them, and languages without "
                "hours of their own offer no live chat. Secure messages are open at all times.",
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


@admin.register(SecureThread)
class SecureThreadAdmin(ReadOnlyAdmin):
    # The shape of a thread only: no words, no passphrase lookup or verifier.
    list_display = [
        "ref",
        "language",
        "created_at",
        "awaiting_since",
        "reply_due_at",
        "assigned_to",
        "delete_after",
    ]
    list_filter = ["language"]
    fields = readonly_fields = (
        "ref",
        "language",
        "created_at",
        "last_message_at",
        "awaiting_since",
        "reply_due_at",
        "assigned_to",
        "delete_after",
    )
