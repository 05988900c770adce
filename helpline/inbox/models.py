"""Secure messages: threads a seeker finds again by a passphrase, answered by staff from the inbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone

from config.encryption import EncryptedTextField
from helpline.references import short_ref
from helpline.staff.models import StaffProfile


class SecureThreadQuerySet(models.QuerySet["SecureThread"]):
    def awaiting_reply(self) -> SecureThreadQuerySet:
        return self.filter(awaiting_since__isnull=False)

    def in_inbox_order(self) -> SecureThreadQuerySet:
        return self.order_by("awaiting_since", "id")


class SecureThread(models.Model):
    """An email-like conversation with no account. Found again only by a passphrase the seeker keeps: we
    store a keyed lookup value and a slow keyed hash of it (helpline.inbox.passphrases), never the words."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lookup = models.CharField(max_length=64, unique=True)
    verifier = models.CharField(max_length=200)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # Set while the seeker's latest words have no reply yet: when the first of them arrived.
    awaiting_since = models.DateTimeField(null=True, blank=True, db_index=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="secure_threads"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateTimeField(db_index=True)

    objects = SecureThreadQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Secure thread {short_ref(self.public_id)}"

    @property
    def ref(self) -> str:
        return short_ref(self.public_id)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return bool(self.reply_due_at and (now or timezone.now()) >= self.reply_due_at)


class SecureMessage(models.Model):
    class Sender(models.TextChoices):
        SEEKER = "seeker", "Seeker"
        STAFF = "staff", "Staff"

    thread = models.ForeignKey(SecureThread, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    staff = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["thread", "created_at", "id"]

    def __str__(self) -> str:
        return f"Secure message from {self.sender}"
