"""Admin for secure-message threads: read-only records, no message text."""

from __future__ import annotations

from django.contrib import admin

from helpline.admin_records import ReadOnlyAdmin
from helpline.models import SecureThread


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
