"""What a newcomer notices after `make run`: the printed addresses are where the server listens, the
demo administrator opens opening hours, holidays and closures in the admin, and every demo account has
enough one-time codes for a day of trying."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, TestCase
from django_otp.plugins.otp_static.models import StaticToken

from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, Holiday, StaffProfile
from tests.helpline.staff.test_demo_staff import printed_logins

REPO = Path(__file__).resolve().parents[3]
ADMIN_ROLE = "Administrator (opening hours, holidays, closures, staff)"
DEMO_USERNAMES = ["staff", "supervisor", "admin", "editor", "reviewer"]


def run_load_demo(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue().splitlines()


def sign_in(username: str, password: str, code: str) -> Client:
    """The real sign-in: password at /staff/login/, then a printed code at /staff/two-factor/."""
    client = Client()
    login = client.post("/staff/login/", {"username": username, "password": password})
    assert login.status_code == 302, f"{username}: password refused"
    second = client.post("/staff/two-factor/", {"token": code})
    assert second.status_code == 302, f"{username}: code {code} refused"
    return client


class DemoAddressTestCase(TestCase):
    def test_the_printout_names_the_port_the_server_listens_on(self):
        output = "\n".join(run_load_demo("--base-url", "http://127.0.0.1:8123"))
        assert "at http://127.0.0.1:8123/staff/ " in output
        assert "at http://127.0.0.1:8123/admin/ " in output
        assert ":8000" not in output

    def test_every_login_is_printed_under_the_given_address(self):
        logins = printed_logins(run_load_demo("--base-url", "http://192.0.2.10:9001/"))
        assert sorted(logins) == sorted(DEMO_USERNAMES)
        assert {name: login["url"] for name, login in logins.items()} == {
            "staff": "http://192.0.2.10:9001/staff/",
            "supervisor": "http://192.0.2.10:9001/staff/",
            "admin": "http://192.0.2.10:9001/admin/",
            "editor": "http://192.0.2.10:9001/admin/",
            "reviewer": "http://192.0.2.10:9001/admin/",
        }

    def test_without_an_address_it_prints_the_usual_one(self):
        logins = printed_logins(run_load_demo())
        assert logins["staff"]["url"] == "http://127.0.0.1:8000/staff/"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_its_host_and_port_to_the_printout():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=192.0.2.10", "PORT=8123"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py load_demo --base-url http://192.0.2.10:8123\n" in dry_run
    assert "--host 192.0.2.10 --port 8123" in dry_run


class DemoAdministratorTestCase(TestCase):
    def setUp(self):
        self.login = printed_logins(run_load_demo("--base-url", "http://127.0.0.1:8123"))["admin"]

    def test_it_is_printed_like_the_other_logins(self):
        assert self.login["line"].startswith(
            f"{ADMIN_ROLE} login: admin / demo-admin-password at http://127.0.0.1:8123/admin/ (demo only"
        )
        admin = User.objects.get(username="admin")
        assert admin.is_staff and not admin.is_superuser  # named permissions, as a real admin would have
        assert set(admin.groups.values_list("name", flat=True)) == {STAFF_GROUP, SUPERVISOR_GROUP}
        assert StaffProfile.objects.filter(user=admin).exists()

    def test_it_opens_opening_hours_holidays_and_closures_in_the_admin(self):
        client = sign_in("admin", self.login["password"], self.login["codes"][0])
        for path, title in [
            ("/admin/helpline/openinghours/", "Select weekly opening hours to change"),
            ("/admin/helpline/holiday/", "Select holiday to change"),
            ("/admin/helpline/serviceclosure/", "Select service closure to change"),
            ("/admin/helpline/staffprofile/", "Select staff profile to change"),
            ("/admin/auth/user/", "Select user to change"),
        ]:
            page = client.get(path)
            assert page.status_code == 200, path
            assert title in page.content.decode(), path  # the changelist itself, not the sign-in again
        assert "Mon" in client.get("/admin/helpline/openinghours/").content.decode()  # the demo hours
        index = client.get("/admin/").content.decode()
        for section in ("Weekly opening hours", "Holidays", "Service closures", "Staff profiles"):
            assert section in index
        # The admin names the service it runs, not the framework.
        assert f'<a href="/admin/">{settings.SERVICE_NAME}</a>' in index
        assert f"<title>Site administration | {settings.SERVICE_NAME}</title>" in index
        assert "Django administration" not in index

    def test_it_can_add_a_holiday(self):
        client = sign_in("admin", self.login["password"], self.login["codes"][-1])
        added = client.post(
            "/admin/helpline/holiday/add/", {"date": "2031-01-01", "name": "New Year's Day", "language": ""}
        )
        assert added.status_code == 302
        assert Holiday.objects.filter(name="New Year's Day").exists()

    def test_it_can_also_use_the_staff_console(self):
        client = sign_in("admin", self.login["password"], self.login["codes"][1])
        assert client.get("/staff/").status_code == 200
        assert client.get("/staff/stats/").status_code == 200


class DemoCodesTestCase(TestCase):
    def test_every_account_gets_twenty_codes_that_each_work_once(self):
        logins = printed_logins(run_load_demo())
        for username in DEMO_USERNAMES:
            login = logins[username]
            codes = login["codes"]
            assert len(codes) == len(set(codes)) == 20, username
            stored = StaticToken.objects.filter(device__user__username=username, device__confirmed=True)
            assert sorted(stored.values_list("token", flat=True)) == sorted(codes), username
            for code in codes:
                sign_in(username, login["password"], code)
            assert not StaticToken.objects.filter(device__user__username=username).exists()  # each used once

    def test_the_codes_are_printed_in_rows_of_five(self):
        lines = run_load_demo()
        staff = next(i for i, line in enumerate(lines) if line.startswith("Staff login:"))
        assert lines[staff + 1] == "  20 one-time codes for its second step, each works once:"
        rows = lines[staff + 2 : staff + 6]
        assert all(row.startswith("    ") and len(row.split()) == 5 for row in rows)
        assert not lines[staff + 6].startswith("    ")


class DemoRunTwiceTestCase(TestCase):
    def test_running_it_twice_is_safe_and_only_the_newest_codes_work(self):
        first = printed_logins(run_load_demo())
        second = printed_logins(run_load_demo())
        assert User.objects.filter(username__in=DEMO_USERNAMES).count() == 5
        assert StaffProfile.objects.filter(user__username__in=["staff", "supervisor", "admin"]).count() == 3
        admin = User.objects.get(username="admin")
        assert admin.user_permissions.count() == 20  # incl. reading the safeguarding decisions
        for username in DEMO_USERNAMES:
            assert StaticToken.objects.filter(device__user__username=username).count() == 20
        client = sign_in("admin", second["admin"]["password"], second["admin"]["codes"][0])
        assert client.get("/admin/helpline/openinghours/").status_code == 200
        # A code from the earlier printout no longer works (tried last: a wrong code slows the next try).
        stale = Client()
        stale.post("/staff/login/", {"username": "admin", "password": "demo-admin-password"})
        refused = stale.post("/staff/two-factor/", {"token": first["admin"]["codes"][1]})
        assert "did not work" in refused.content.decode()
