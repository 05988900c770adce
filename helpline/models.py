"""The helpline app's models, defined in each domain's room and re-exported here so Django finds them
under the one app label `helpline` (migrations and table names stay as they were)."""

from helpline.campaigns.models import Campaign
from helpline.chat.models import (
    CannedResponse,
    ChatQuerySet,
    ChatSession,
    CrisisContact,
    DecisionRecord,
    Escalation,
    Message,
    StaffNote,
    WrapUp,
    hash_token,
)
from helpline.hours.models import Holiday, OpeningHours, ServiceClosure, Weekday
from helpline.inbox.models import SecureMessage, SecureThread, SecureThreadQuerySet
from helpline.staff.models import (
    STAFF_GROUP,
    SUPERVISOR_GROUP,
    Availability,
    DebriefRequest,
    ShiftExtension,
    ShiftSpan,
    Skill,
    StaffProfile,
)
from helpline.stats.models import DailyCount

__all__ = [
    "STAFF_GROUP",
    "SUPERVISOR_GROUP",
    "Availability",
    "Campaign",
    "CannedResponse",
    "ChatQuerySet",
    "ChatSession",
    "CrisisContact",
    "DailyCount",
    "DebriefRequest",
    "DecisionRecord",
    "Escalation",
    "Holiday",
    "Message",
    "OpeningHours",
    "SecureMessage",
    "SecureThread",
    "SecureThreadQuerySet",
    "ServiceClosure",
    "ShiftExtension",
    "ShiftSpan",
    "Skill",
    "StaffNote",
    "StaffProfile",
    "Weekday",
    "WrapUp",
    "hash_token",
]
