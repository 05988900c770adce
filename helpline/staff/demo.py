"""Demo staff accounts for the embedded site (`make run`): known passwords and printed one-time codes,
never in production."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, StaffProfile
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
    # The languages they chat in: enough to try a chat in Arabic (Sam) or Dutch and German (Alex), and
    # to see a French, Spanish or Romanian seeker told honestly that nobody on duty speaks theirs.
    languages: tuple[str, ...] = ("en",)


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
    + _all("helpline", "decisionrecord", "view")
    + _all("auth", "user", "add change view")
)


# Known passwords, printed on purpose: these accounts exist only on the embedded demo site.
DEMO_STAFF = [
    DemoStaff("staff", "demo-staff-password", "Sam", (STAFF_GROUP,), "Staff", languages=("en", "ar")),
    DemoStaff(
        "supervisor",
        "demo-supervisor-password",
        "Alex",
        (STAFF_GROUP, SUPERVISOR_GROUP),
        "Supervisor",
        languages=("en", "nl", "de"),
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


def load_demo_staff(base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Create (or refresh) the demo staff, supervisor, administrator, editor and reviewer. Returns lines
    to print, with addresses under `base_url` (where the server listens)."""
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
                user=user,
                defaults={
                    "display_name": demo.display_name,
                    "languages": list(demo.languages),
                    "max_chats": 3,
                },
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
    return lines


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
