"""The live chat's records. Nothing here identifies a seeker: a chat is found again only by the hash of a
random token the seeker's browser holds, and wrap-ups record categories, never identities."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.encryption import EncryptedTextField
from helpline import events
from helpline.references import short_ref
from helpline.staff.models import StaffProfile, display_name_of


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain hash cannot be reversed by guessing.
    return hashlib.sha256(token.encode()).hexdigest()


class ChatQuerySet(models.QuerySet["ChatSession"]):
    def waiting(self) -> ChatQuerySet:
        return self.filter(status=ChatSession.Status.WAITING)

    def in_queue_order(self) -> ChatQuerySet:
        return self.order_by("-priority", "queued_at", "id")

    def open(self) -> ChatQuerySet:
        return self.exclude(status=ChatSession.Status.ENDED)

    def live_with(self, profile: StaffProfile) -> ChatQuerySet:
        """A staff member's live chats, oldest answered first (the order the console shows them)."""
        return self.filter(status=ChatSession.Status.ACTIVE, staff=profile).order_by("answered_at", "id")

    def wrap_up_due(self) -> ChatQuerySet:
        """Chats someone answered and ended that still need their wrap-up: until it is done, routing
        offers that person nothing new, and their console asks for it."""
        return self.filter(status=ChatSession.Status.ENDED, answered_at__isnull=False, wrap_up__isnull=True)

    def ahead_of(self, chat: ChatSession) -> ChatQuerySet:
        return self.waiting().filter(
            Q(priority__gt=chat.priority)
            | Q(priority=chat.priority, queued_at__lt=chat.queued_at)
            | Q(priority=chat.priority, queued_at=chat.queued_at, id__lt=chat.id)
        )


class ChatSession(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered to staff")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class About(models.TextChoices):
        NOT_SAID = "", _("Prefer not to say")
        SELF = "self", _("Myself")
        SOMEONE_ELSE = "someone_else", _("Someone else")

    class Triage(models.TextChoices):
        """What the seeker ticked at the start as true right now: either raises the chat's priority."""

        NOT_SAFE = "not_safe", _("Not safe right now / thinking about ending their life")
        CHILD_IN_DANGER = "child_in_danger", _("A child may be in danger now")

    class Topic(models.TextChoices):
        NOT_SAID = "", _("Prefer not to say")
        OWN_THOUGHTS = "own_thoughts", _("I am worried about my own thoughts or behaviour")
        AFTER_ARREST = "after_arrest", _("After an arrest or contact with the police")
        SOMEONE_ELSE = "someone_else", _("I am worried about someone else")
        YOUNG_PERSON = "young_person", _("I am a young person")

    class EndReason(models.TextChoices):
        SEEKER_LEFT_QUEUE = "left_queue", _("Seeker left the queue")
        SEEKER_ENDED = "seeker_ended", _("Seeker ended the chat")
        STAFF_ENDED = "staff_ended", _("Staff ended the chat")
        ABANDONED = "abandoned", _("Seeker vanished")
        CLOSED = "closed", _("Service closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    language = models.CharField(max_length=8, default="en")
    about = models.CharField(max_length=20, choices=About.choices, default=About.NOT_SAID, blank=True)
    priority = models.SmallIntegerField(default=0)
    # The seeker's optional answers at the door (helpline.chat.triage): what is true right now, and what
    # the chat is about. Categories only; they go with the chat at the retention purge.
    not_safe = models.BooleanField(default=False)
    child_in_danger = models.BooleanField(default=False)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.NOT_SAID, blank=True)
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
    # Which of this chat's figures are already in the daily counts (helpline.stats.tallies). Each is counted
    # once: when it happens, or at the latest just before the retention purge deletes the chat.
    counted_start = models.BooleanField(default=False)
    counted_answer = models.BooleanField(default=False)
    counted_end = models.BooleanField(default=False)
    counted_wrap_up = models.BooleanField(default=False)
    # The seeker's three optional answers at the end went into the daily counts (helpline.stats.tallies); only
    # this flag is kept, so one chat sends them once. It says nothing of the answers and goes with the chat.
    feedback_given = models.BooleanField(default=False)
    # The partner's link the seeker came through (helpline.campaigns), kept only until the chat's campaign
    # figures are counted, then cleared. Everyone through that link shares it: it names no one.
    campaign = models.ForeignKey(
        "helpline.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A supervisor who joined the live chat to help (helpline.chat.actions.notes): they may write in it,
    # but the chat stays the staff member's (their slot, their wrap-up).
    joined_by = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ChatQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "-priority", "queued_at"], name="chat_queue_order")]

    def __str__(self) -> str:
        return f"Chat {str(self.public_id)[:8]} ({self.status})"

    @property
    def group_name(self) -> str:
        return events.chat_group(self.public_id.hex)

    @property
    def ref(self) -> str:
        return short_ref(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ENDED

    @property
    def triage(self) -> list[str]:
        """The triage answers given at the start, in a fixed order ([] = none)."""
        flags = {self.Triage.NOT_SAFE: self.not_safe, self.Triage.CHILD_IN_DANGER: self.child_in_danger}
        return [str(kind) for kind, ticked in flags.items() if ticked]


class Message(models.Model):
    class Sender(models.TextChoices):
        SEEKER = "seeker", _("Seeker")
        STAFF = "staff", _("Staff")
        SYSTEM = "system", _("Service")

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
            "author": display_name_of(self.staff),
            "body": self.body,
            "at": self.created_at.isoformat(),
        }


class CannedResponse(models.Model):
    class Kind(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", _("Confidentiality statement")
        CHECK_IN = "check_in", _("Are you still there?")
        CLOSING = "closing", _("Closing")
        SIGNPOST = "signpost", _("Signposting")
        OTHER = "other", _("Other")

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
        SELF = "self", _("Themselves")
        ANOTHER_ADULT = "another_adult", _("Another adult")
        YOUNG_PERSON = "young_person", _("A young person")
        PROFESSIONAL = "professional", _("A professional asking for advice")
        OTHER = "other", _("Other")

    class Topic(models.TextChoices):
        THOUGHTS = "thoughts", _("Worried about thoughts")
        ONLINE_IMAGES = "online_images", _("Online images")
        CONTACT_WITH_CHILDREN = "contact", _("Contact with children")
        FAMILY_MEMBER = "family", _("A family member's behaviour")
        AFTER_ARREST = "arrest", _("After an arrest")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        OTHER = "other", _("Other")

    class ProtectiveAction(models.TextChoices):
        STOP_SITES = "stop_sites", _("Stop using certain sites")
        BLOCKING = "blocking", _("Install blocking software")
        GP = "gp", _("Talk to a GP")
        THERAPY = "therapy", _("Seek a therapist or counsellor")
        SELF_HELP = "self_help", _("Use a self-help module")
        CALL_BACK = "call_back", _("Contact us again")
        NONE = "none", _("None agreed")

    class HeardFrom(models.TextChoices):
        SEARCH_WARNING = "search_warning", _("Search engine warning")
        SOCIAL_AD = "social_ad", _("Social media advert")
        POLICE = "police", _("Police message")
        PROFESSIONAL = "professional", _("A professional")
        WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
        OTHER = "other", _("Other / not said")

    class Outcome(models.TextChoices):
        SUBSTANTIVE = "substantive", _("Substantive conversation")
        SILENT = "silent", _("Silent")
        LEFT_EARLY = "left_early", _("Left early")
        TEST = "test", _("Test")
        ABUSIVE = "abusive", _("Abusive")
        WRONG_SERVICE = "wrong_service", _("Looking for another service")

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
        CHILD_AT_RISK = "child_at_risk", _("A child may be at risk now")
        RISK_TO_SELF = "risk_to_self", _("Risk to the person's own safety")
        CRIME_DISCLOSED = "crime", _("A crime may be happening")
        STAFF_SUPPORT = "staff_support", _("Staff member needs support")
        OTHER = "other", _("Other concern")

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "no_action", _("No further action needed")
        SUPPORTED_IN_CHAT = "supported", _("Supported within the chat")
        URGENT_HELP_SIGNPOSTED = "signposted", _("Signposted to urgent help")
        PASSED_ON = "passed_on", _("Passed on under the safeguarding policy")
        STAFF_DEBRIEF = "debrief", _("Staff debrief arranged")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="escalations")
    raised_by = models.ForeignKey(StaffProfile, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Copied from the chat when raised, so the decision record keeps it after the chat is gone.
    campaign = models.ForeignKey(
        "helpline.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Escalation ({self.get_reason_display()})"

    @property
    def is_open(self) -> bool:
        return not self.decision


class DecisionRecord(models.Model):
    """A supervisor's decision on an escalation, kept once its chat has been deleted (retention.py), so
    supervisors can account for what they decided. Categories, names of staff and times only: nothing
    the person wrote, nothing about who they are. Kept HELPLINE["DECISION_RECORD_DAYS"] days."""

    reason = models.CharField(max_length=20, choices=Escalation.Reason.choices)
    decision = models.CharField(max_length=20, choices=Escalation.Decision.choices)
    raised_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True)
    # The name as it was: an account may be removed long before the record is.
    decided_by = models.CharField(max_length=100, blank=True)
    chat_language = models.CharField(max_length=8)
    kept_until = models.DateTimeField(db_index=True)
    # Which partner's link the chat came through, if any: a link shared by many, never a person.
    campaign = models.ForeignKey(
        "helpline.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("safeguarding decision")
        verbose_name_plural = _("safeguarding decisions")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.get_decision_display()}"


class StaffNote(models.Model):
    """Words for staff only, about a chat: a supervisor's whisper, or a handover note on transfer.

    Never a Message: a seeker's page asks for every message after the last number it has, so a note
    must take no number in the chat's sequence, and it is published only to staff groups (never to the
    chat's group, which the seeker's socket is in). Deleted with its chat by the retention purge."""

    class Kind(models.TextChoices):
        WHISPER = "whisper", _("Private note")
        HANDOVER = "handover", _("Handover note")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    # Lets one template loop over a transcript with notes in it (presenters.transcript_with_notes).
    is_note = True

    class Meta:
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.session}"

    def as_event(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "author": display_name_of(self.author),
            "body": self.body,
            "at": self.created_at.isoformat(),
        }


class CrisisContact(models.Model):
    """Someone a seeker can reach at once when they are not safe or a child is in danger, shown while they
    wait (helpline.chat.triage). Written by an admin per language, and optionally per country: the
    service knows nothing of where a seeker is, so every country's contacts for the language are shown."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    country = models.CharField(
        _("country"), max_length=60, blank=True, help_text=_("Leave blank if it applies wherever people are.")
    )
    name = models.CharField(_("name"), max_length=120)
    how_to_reach = models.TextField(
        _("how to reach them"), help_text=_("A number, a website, opening hours: as people should read it.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["language", "country", "order", "name"]
        verbose_name = _("crisis contact")
        verbose_name_plural = _("crisis contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.language}{', ' + self.country if self.country else ''})"
