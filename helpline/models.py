"""The chat service's records. Nothing here identifies a seeker: a chat is found again only by the
hash of a random token the seeker's browser holds, and wrap-ups record categories, never identities."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.encryption import EncryptedTextField

STAFF_GROUP = "Helpline staff"
SUPERVISOR_GROUP = "Supervisors"


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain hash cannot be reversed by guessing.
    return hashlib.sha256(token.encode()).hexdigest()


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpline_profile"
    )
    # A short name seekers see ("Sam"), never the account name.
    display_name = models.CharField(max_length=40, default="Helpline staff")
    availability = models.CharField(max_length=10, choices=Availability.choices, default=Availability.OFFLINE)
    languages = models.JSONField(default=list, help_text='Language codes this person chats in, e.g. ["en"].')
    max_chats = models.PositiveSmallIntegerField(default=3)
    idle_since = models.DateTimeField(
        default=timezone.now, help_text="When this person last had a free slot."
    )
    availability_changed_at = models.DateTimeField(default=timezone.now)
    # Set when every page of theirs fell silent past the grace period and their chats were requeued;
    # cleared when any page of theirs checks in again. The supervisor board lists them first.
    connection_lost_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.user})"

    @property
    def is_supervisor(self) -> bool:
        return self.user.groups.filter(name=SUPERVISOR_GROUP).exists()


class ChatQuerySet(models.QuerySet["ChatSession"]):
    def waiting(self) -> ChatQuerySet:
        return self.filter(status=ChatSession.Status.WAITING)

    def in_queue_order(self) -> ChatQuerySet:
        return self.order_by("-priority", "queued_at", "id")

    def open(self) -> ChatQuerySet:
        return self.exclude(status=ChatSession.Status.ENDED)

    def holding_slot_of(self, profile: StaffProfile) -> ChatQuerySet:
        """Chats that count against a staff member's capacity: offered to them or active with them."""
        return self.filter(
            Q(status=ChatSession.Status.OFFERED, offered_to=profile)
            | Q(status=ChatSession.Status.ACTIVE, staff=profile)
        )

    def ahead_of(self, chat: ChatSession) -> ChatQuerySet:
        return self.waiting().filter(
            Q(priority__gt=chat.priority)
            | Q(priority=chat.priority, queued_at__lt=chat.queued_at)
            | Q(priority=chat.priority, queued_at=chat.queued_at, id__lt=chat.id)
        )


class ChatSession(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered to staff"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class About(models.TextChoices):
        NOT_SAID = "", "Prefer not to say"
        SELF = "self", "Myself"
        SOMEONE_ELSE = "someone_else", "Someone else"

    class EndReason(models.TextChoices):
        SEEKER_LEFT_QUEUE = "left_queue", "Seeker left the queue"
        SEEKER_ENDED = "seeker_ended", "Seeker ended the chat"
        STAFF_ENDED = "staff_ended", "Staff ended the chat"
        ABANDONED = "abandoned", "Seeker vanished"
        CLOSED = "closed", "Service closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    language = models.CharField(max_length=8, default="en")
    about = models.CharField(max_length=20, choices=About.choices, default=About.NOT_SAID, blank=True)
    priority = models.SmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        default=timezone.now, help_text="Queue order; kept when a chat is requeued."
    )
    offered_to = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    staff = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    escalated = models.BooleanField(default=False)
    # Which of this chat's figures are already in the daily counts (helpline.tallies). Each is counted
    # once: when it happens, or at the latest just before the retention purge deletes the chat.
    counted_start = models.BooleanField(default=False)
    counted_answer = models.BooleanField(default=False)
    counted_end = models.BooleanField(default=False)
    counted_wrap_up = models.BooleanField(default=False)
    # The seeker's three optional answers at the end went into the daily counts (helpline.tallies); only
    # this flag is kept, so one chat sends them once. It says nothing of the answers and goes with the chat.
    feedback_given = models.BooleanField(default=False)

    objects = ChatQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "-priority", "queued_at"], name="chat_queue_order")]

    def __str__(self) -> str:
        return f"Chat {str(self.public_id)[:8]} ({self.status})"

    @property
    def group_name(self) -> str:
        return f"chat.{self.public_id.hex}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ENDED

    def handling_seconds(self) -> float | None:
        if self.answered_at and self.ended_at:
            return (self.ended_at - self.answered_at).total_seconds()
        return None


class Message(models.Model):
    class Sender(models.TextChoices):
        SEEKER = "seeker", "Seeker"
        STAFF = "staff", "Staff"
        SYSTEM = "system", "Service"

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    staff = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "seq"], name="message_seq_unique")]
        ordering = ["session", "seq"]

    def __str__(self) -> str:
        return f"#{self.seq} from {self.sender}"

    def as_event(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "sender": self.sender,
            "author": self.staff.display_name if self.staff else "",
            "body": self.body,
            "at": self.created_at.isoformat(),
        }


class CannedResponse(models.Model):
    class Kind(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", "Confidentiality statement"
        CHECK_IN = "check_in", "Are you still there?"
        CLOSING = "closing", "Closing"
        SIGNPOST = "signpost", "Signposting"
        OTHER = "other", "Other"

    title = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    body = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class WrapUp(models.Model):
    """After a chat: categories for aggregate statistics, never who the person was."""

    class About(models.TextChoices):
        SELF = "self", "Themselves"
        ANOTHER_ADULT = "another_adult", "Another adult"
        YOUNG_PERSON = "young_person", "A young person"
        PROFESSIONAL = "professional", "A professional asking for advice"
        OTHER = "other", "Other"

    class Topic(models.TextChoices):
        THOUGHTS = "thoughts", "Worried about thoughts"
        ONLINE_IMAGES = "online_images", "Online images"
        CONTACT_WITH_CHILDREN = "contact", "Contact with children"
        FAMILY_MEMBER = "family", "A family member's behaviour"
        AFTER_ARREST = "arrest", "After an arrest"
        MENTAL_HEALTH = "mental_health", "Mental health"
        OTHER = "other", "Other"

    class ProtectiveAction(models.TextChoices):
        STOP_SITES = "stop_sites", "Stop using certain sites"
        BLOCKING = "blocking", "Install blocking software"
        GP = "gp", "Talk to a GP"
        THERAPY = "therapy", "Seek a therapist or counsellor"
        SELF_HELP = "self_help", "Use a self-help module"
        CALL_BACK = "call_back", "Contact us again"
        NONE = "none", "None agreed"

    class HeardFrom(models.TextChoices):
        SEARCH_WARNING = "search_warning", "Search engine warning"
        SOCIAL_AD = "social_ad", "Social media advert"
        POLICE = "police", "Police message"
        PROFESSIONAL = "professional", "A professional"
        WORD_OF_MOUTH = "word_of_mouth", "Word of mouth"
        OTHER = "other", "Other / not said"

    class Outcome(models.TextChoices):
        SUBSTANTIVE = "substantive", "Substantive conversation"
        SILENT = "silent", "Silent"
        LEFT_EARLY = "left_early", "Left early"
        TEST = "test", "Test"
        ABUSIVE = "abusive", "Abusive"
        WRONG_SERVICE = "wrong_service", "Looking for another service"

    session = models.OneToOneField(ChatSession, on_delete=models.CASCADE, related_name="wrap_up")
    staff = models.ForeignKey(StaffProfile, null=True, on_delete=models.SET_NULL, related_name="wrap_ups")
    about = models.CharField(max_length=20, choices=About.choices)
    topics = models.JSONField(default=list)
    protective_actions = models.JSONField(default=list)
    heard_from = models.CharField(max_length=20, choices=HeardFrom.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Wrap-up of {self.session}"


class Escalation(models.Model):
    """A risk raised to a supervisor, and the decision taken. Categories only."""

    class Reason(models.TextChoices):
        CHILD_AT_RISK = "child_at_risk", "A child may be at risk now"
        RISK_TO_SELF = "risk_to_self", "Risk to the person's own safety"
        CRIME_DISCLOSED = "crime", "A crime may be happening"
        STAFF_SUPPORT = "staff_support", "Staff member needs support"
        OTHER = "other", "Other concern"

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "no_action", "No further action needed"
        SUPPORTED_IN_CHAT = "supported", "Supported within the chat"
        URGENT_HELP_SIGNPOSTED = "signposted", "Signposted to urgent help"
        PASSED_ON = "passed_on", "Passed on under the safeguarding policy"
        STAFF_DEBRIEF = "debrief", "Staff debrief arranged"

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="escalations")
    raised_by = models.ForeignKey(StaffProfile, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Escalation ({self.get_reason_display()})"

    @property
    def is_open(self) -> bool:
        return not self.decision


# --- opening hours --------------------------------------------------------------------------


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """One weekly opening of live chat in one language, in the service's time zone (TIME_ZONE).

    With no weekly hours at all, live chat is treated as always open. Once any are set, a language
    without hours of its own offers no live chat (secure messages are always open)."""

    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(help_text="Local time, e.g. 09:00.")
    closes_at = models.TimeField(
        help_text="Local time. A time earlier than the opening time means the next morning "
        "(20:00 to 02:00); 00:00 to 00:00 is the whole day."
    )

    class Meta:
        ordering = ["language", "weekday", "opens_at"]
        verbose_name = "weekly opening hours"
        verbose_name_plural = "weekly opening hours"

    def __str__(self) -> str:
        return (
            f"{self.get_language_display()}: {self.get_weekday_display()} "
            f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
        )


class Holiday(models.Model):
    """A whole local day with no live chat. Also not a working day for secure-message reply targets."""

    date = models.DateField()
    name = models.CharField(max_length=80, help_text="For staff, e.g. “New Year's Day”.")
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="Leave blank for every language."
    )

    class Meta:
        ordering = ["date", "language"]
        constraints = [models.UniqueConstraint(fields=["date", "language"], name="holiday_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%Y-%m-%d})"


class ServiceClosure(models.Model):
    """A one-off closure of live chat (training, an emergency): from one instant to another."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, help_text="For staff only; seekers see just the opening times.")
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="Leave blank for every language."
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The closure must end after it starts."})


# --- secure messages ------------------------------------------------------------------------


class SecureThreadQuerySet(models.QuerySet["SecureThread"]):
    def awaiting_reply(self) -> SecureThreadQuerySet:
        return self.filter(awaiting_since__isnull=False)

    def in_inbox_order(self) -> SecureThreadQuerySet:
        return self.order_by("awaiting_since", "id")


class SecureThread(models.Model):
    """An email-like conversation with no account. Found again only by a passphrase the seeker keeps:
    we store a keyed lookup value and a slow keyed hash of it (helpline.passphrases), never the words."""

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
        return f"Secure thread {self.public_id.hex[:6]}"

    @property
    def ref(self) -> str:
        return self.public_id.hex[:6]

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


# --- daily counts ---------------------------------------------------------------------------


class DailyCount(models.Model):
    """One named counter for one service day ("chats.answered" on 2026-11-23). Only counts: nothing here
    can be traced to a person, and these rows are what outlives the retention purge.

    Named counters rather than a wide row with a column each: wrap-up categories come and go with the
    choices staff use, and a new one must not need a migration to be counted."""

    day = models.DateField()
    name = models.CharField(max_length=80)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "name"], name="daily_count_once")]
        ordering = ["day", "name"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}: {self.value}"
