"""Demo staff accounts and stock replies for the embedded site (`make run`). Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from helpline.chat import texts
from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, CannedResponse, OpeningHours, StaffProfile
from helpline.staff.two_factor import demo_backup_codes

# Where `make run` serves the site unless told otherwise; `load_demo --base-url` prints the real address.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
CODES_PER_ROW = 5


@dataclass(frozen=True)
class DemoStaff:
    username: str
    password: str
    display_name: str
    groups: tuple[str, ...]
    role: str
    # "app_label.codename" permissions for the admin; an account with any works in the admin (is_staff).
    admin_permissions: tuple[str, ...] = ()


def _all(app_label: str, model: str, actions: str = "add change delete view") -> tuple[str, ...]:
    return tuple(f"{app_label}.{action}_{model}" for action in actions.split())


# What the demo administrator needs beyond the supervisor group (stock replies, staff profiles): live-chat
# hours, holidays and one-off closures, staff profiles, and the accounts of staff (to add someone, unlock
# their sign-in or reset their second factor). Named permissions rather than is_superuser, so the admin
# shows what a real service's administrator would see.
ADMIN_PERMISSIONS = (
    _all("helpline", "openinghours")
    + _all("helpline", "holiday")
    + _all("helpline", "serviceclosure")
    + _all("helpline", "staffprofile")
    + _all("auth", "user", "add change view")
)


# Known passwords, printed on purpose: these accounts exist only on the embedded demo site.
DEMO_STAFF = [
    DemoStaff("staff", "demo-staff-password", "Sam", (STAFF_GROUP,), "Staff"),
    DemoStaff(
        "supervisor", "demo-supervisor-password", "Alex", (STAFF_GROUP, SUPERVISOR_GROUP), "Supervisor"
    ),
    DemoStaff(
        "admin",
        "demo-admin-password",
        "Robin",
        (STAFF_GROUP, SUPERVISOR_GROUP),
        "Administrator (opening hours, holidays, closures, staff)",
        ADMIN_PERMISSIONS,
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


def load_demo_staff(base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Create (or refresh) the demo staff, supervisor, administrator, editor and reviewer, and the stock
    replies. Returns lines to print, with addresses under `base_url` (where the server listens)."""
    if settings.PRODUCTION:
        return ["Demo staff accounts were not created: this site runs in production mode."]
    base_url = base_url.rstrip("/")
    User = get_user_model()
    lines = []
    with transaction.atomic():
        for demo in DEMO_STAFF:
            user, _ = User.objects.get_or_create(username=demo.username)
            # Reset each time, so the password printed below is always the one that works.
            user.set_password(demo.password)
            user.is_active = True
            user.is_staff = bool(demo.admin_permissions)
            user.save()
            user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in demo.groups])
            user.user_permissions.set(_permissions(demo.admin_permissions))
            StaffProfile.objects.get_or_create(
                user=user, defaults={"display_name": demo.display_name, "languages": ["en"], "max_chats": 3}
            )
            # Every staff sign-in needs a second factor; the demo prints one-time codes to use instead.
            where = "admin" if demo.admin_permissions else "staff"
            lines += _login_lines(demo.role, demo.username, demo.password, f"{base_url}/{where}/", user)
        for username, password, group, role in DEMO_CONTENT_PEOPLE:
            # Editors and reviewers work in the admin (is_staff) but are not helpline staff: no chats.
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_active = user.is_staff = True
            user.save()
            user.groups.add(Group.objects.get_or_create(name=group)[0])
            lines += _login_lines(role, username, password, f"{base_url}/admin/", user)
        for order, (title, kind, body) in enumerate(DEMO_CANNED):
            # Created once; an admin's later edits are kept.
            CannedResponse.objects.get_or_create(
                title=title, defaults={"kind": kind, "body": body, "order": order}
            )
    return lines + load_demo_hours()


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _login_lines(role: str, username: str, password: str, url: str, user: object) -> list[str]:
    """The login, then fresh one-time codes for its second step, in rows of five."""
    codes = demo_backup_codes(user)
    rows = [" ".join(codes[i : i + CODES_PER_ROW]) for i in range(0, len(codes), CODES_PER_ROW)]
    return [
        f"{role} login: {username} / {password} at {url} "
        "(demo only: never use these accounts on a real service)",
        f"  {len(codes)} one-time codes for its second step, each works once:",
        *[f"    {row}" for row in rows],
    ]


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
