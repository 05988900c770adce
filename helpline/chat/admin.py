"""Admin for the live chat: admins manage stock replies; chats, wrap-ups and escalations are read-only
records, and no message text is shown anywhere in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from helpline.admin_records import ReadOnlyAdmin
from helpline.models import CannedResponse, ChatSession, CrisisContact, DecisionRecord, Escalation, WrapUp


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title", "body"]


@admin.register(CrisisContact)
class CrisisContactAdmin(admin.ModelAdmin):
    """Shown to a seeker who says at the start that they are not safe or a child is in danger, while they
    wait (helpline.chat.triage): the contacts for the chat's language, those for anywhere first."""

    list_display = ["name", "language", "country", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["language", "active"]
    search_fields = ["name", "how_to_reach", "country"]


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
        "topic",
        "not_safe",
        "child_in_danger",
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

    @admin.display(description=_("Chat"))
    def short_id(self, obj: ChatSession) -> str:
        return obj.ref


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

    @admin.display(description=_("Chat"))
    def chat(self, obj: WrapUp) -> str:
        return obj.session.ref


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

    @admin.display(description=_("Chat"))
    def chat(self, obj: Escalation) -> str:
        return obj.session.ref


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    """Decisions whose chats are gone (retention.keep_decisions); they go themselves after their period."""

    fields = readonly_fields = (
        "decided_at",
        "reason",
        "decision",
        "decided_by",
        "chat_language",
        "campaign",
        "raised_at",
        "kept_until",
    )
    list_display = list(fields)
    list_filter = ["reason", "decision", "chat_language"]
    date_hierarchy = "decided_at"
