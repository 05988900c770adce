"""Demo staff accounts and stock replies for the embedded site (`make run`). Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from helpline import texts
from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, CannedResponse, OpeningHours, StaffProfile
from helpline.views.two_factor import demo_backup_codes

DEMO_URL = "http://127.0.0.1:8000/staff/"
DEMO_ADMIN_URL = "http://127.0.0.1:8000/admin/"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    password: str
    display_name: str
    groups: tuple[str, ...]
    role: str


# Known passwords, printed on purpose: these accounts exist only on the embedded demo site.
DEMO_STAFF = [
    DemoStaff("staff", "demo-staff-password", "Sam", (STAFF_GROUP,), "Staff"),
    DemoStaff(
        "supervisor", "demo-supervisor-password", "Alex", (STAFF_GROUP, SUPERVISOR_GROUP), "Supervisor"
    ),
]

# Content roles for the self-help library (groups created by the resources app's migration).
DEMO_CONTENT_PEOPLE = [
    ("editor", "demo-editor-password", "Editors", "Editor (writes and submits self-help pages)"),
    ("reviewer", "demo-reviewer-password", "Reviewers", "Reviewer (publishes)"),
]

Kind = CannedResponse.Kind
DEMO_CANNED = [
    ("Confidentiality statement", Kind.CONFIDENTIALITY, texts.CONFIDENTIALITY_STATEMENT),
    (
        "Are you still there?",
        Kind.CHECK_IN,
        "Are you still there? Take all the time you need. If it is hard to find the words, "
        "you can start with just a few, and we can go from there.",
    ),
    (
        "Closing the chat",
        Kind.CLOSING,
        "Thank you for talking with us today. Reaching out about this takes courage, and it is a real "
        "step towards keeping yourself and others safe. You are welcome to come back to the chat "
        "whenever we are open, and the self-help reading on this site is there at any time. Take care.",
    ),
    (
        "Signposting: self-help reading",
        Kind.SIGNPOST,
        "There is self-help reading and guided modules on this site that many people find useful "
        "between conversations. You can use them anonymously, at your own pace, without signing up. "
        "You will find them under “Self-help” and “Guided modules” at the top of the page.",
    ),
    (
        "Signposting: a GP or therapist",
        Kind.SIGNPOST,
        "It could help to talk to a GP or a therapist about what you have told me. You do not have "
        "to explain everything at once: you could start by saying that you are struggling with "
        "thoughts that worry you and would like some support. If you like, we can think together "
        "about what you might say.",
    ),
    (
        "Signposting: urgent help",
        Kind.SIGNPOST,
        "If you feel you might harm yourself or someone else, or a child is in danger right now, "
        "please contact your local emergency services straight away. If you are in crisis but not "
        "in immediate danger, your GP, an out-of-hours doctor or a local mental-health crisis "
        "service can help you today.",
    ),
]


def load_demo_staff() -> list[str]:
    """Create (or refresh) the demo staff and supervisor, and the stock replies. Returns lines to print."""
    if settings.PRODUCTION:
        return ["Demo staff accounts were not created: this site runs in production mode."]
    User = get_user_model()
    lines = []
    with transaction.atomic():
        for demo in DEMO_STAFF:
            user, _ = User.objects.get_or_create(username=demo.username)
            # Reset each time, so the password printed below is always the one that works.
            user.set_password(demo.password)
            user.is_active = True
            user.save()
            user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in demo.groups])
            StaffProfile.objects.get_or_create(
                user=user, defaults={"display_name": demo.display_name, "languages": ["en"], "max_chats": 3}
            )
            # Every staff sign-in needs a second factor; the demo prints one-time codes to use instead.
            codes = demo_backup_codes(user)
            lines.append(
                f"{demo.role} login: {demo.username} / {demo.password} at {DEMO_URL} "
                "(demo only: never use these accounts on a real service)"
            )
            lines.append(f"  one-time codes for its second step, each works once: {' '.join(codes[:5])}")
        for username, password, group, role in DEMO_CONTENT_PEOPLE:
            # Editors and reviewers work in the admin (is_staff) but are not helpline staff: no chats.
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_active = user.is_staff = True
            user.save()
            user.groups.add(Group.objects.get_or_create(name=group)[0])
            codes = demo_backup_codes(user)
            lines.append(
                f"{role} login: {username} / {password} at {DEMO_ADMIN_URL} "
                "(demo only: never use these accounts on a real service)"
            )
            lines.append(f"  one-time codes for its second step, each works once: {' '.join(codes[:5])}")
        for order, (title, kind, body) in enumerate(DEMO_CANNED):
            # Created once; an admin's later edits are kept.
            CannedResponse.objects.get_or_create(
                title=title, defaults={"kind": kind, "body": body, "order": order}
            )
    return lines + load_demo_hours()


# --- demo opening hours (appended) ------------------------------------------------------------

DEMO_OPENS = time(8, 0)
DEMO_CLOSES = time(23, 0)


def load_demo_hours() -> list[str]:
    """English live chat every day 08:00-23:00, long enough that the demo is usually open; outside those
    hours the chat page shows the closed state and the secure-message route. Left alone once an admin
    has set any hours."""
    if settings.PRODUCTION or OpeningHours.objects.exists():
        return []
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(language="en", weekday=day, opens_at=DEMO_OPENS, closes_at=DEMO_CLOSES)
            for day in range(7)
        ]
    )
    return [
        f"Demo opening hours: English live chat every day {DEMO_OPENS:%H:%M}-{DEMO_CLOSES:%H:%M} "
        f"({settings.TIME_ZONE} time); change them under Helpline > Weekly opening hours in the admin."
    ]
