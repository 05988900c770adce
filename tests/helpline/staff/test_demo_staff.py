import re

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, RequestFactory, TestCase, override_settings

from helpline.chat import texts
from helpline.demo import load_demo
from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, CannedResponse, StaffProfile
from helpline.staff.demo import DEMO_STAFF

LOGIN = re.compile(r"^(?P<role>.+) login: (?P<username>\S+) / (?P<password>\S+) at (?P<url>\S+) ")


def printed_logins(lines: list[str]) -> dict[str, dict]:
    """Read the printout as a newcomer does: each login line, then the rows of codes indented under it."""
    logins: dict[str, dict] = {}
    current: dict | None = None
    for line in lines:
        if match := LOGIN.match(line):
            current = logins[match["username"]] = {**match.groupdict(), "line": line, "codes": []}
        elif current is not None and line.startswith("    "):
            current["codes"] += line.split()
        elif not line.startswith("  "):
            current = None
    return logins


class DemoStaffTestCase(TestCase):
    def test_it_creates_a_staff_member_and_a_supervisor(self):
        lines = load_demo()
        sam = StaffProfile.objects.get(user__username="staff")
        assert (sam.display_name, sam.languages, sam.max_chats) == ("Sam", ["en", "ar"], 3)
        assert set(sam.user.groups.values_list("name", flat=True)) == {STAFF_GROUP}
        alex = StaffProfile.objects.get(user__username="supervisor")
        assert alex.display_name == "Alex"
        assert set(alex.user.groups.values_list("name", flat=True)) == {STAFF_GROUP, SUPERVISOR_GROUP}
        assert (
            "Staff login: staff / demo-staff-password at http://127.0.0.1:8000/staff/ (demo only" in lines[0]
        )
        assert printed_logins(lines)["supervisor"]["line"].startswith(
            "Supervisor login: supervisor / demo-supervisor-password"
        )

    def test_it_prints_one_time_codes_for_the_second_factor(self):
        lines = load_demo()
        assert lines[1] == "  20 one-time codes for its second step, each works once:"
        assert all(len(row.split()) == 5 for row in lines[2:6])  # four readable rows of five
        codes = printed_logins(lines)["staff"]["codes"]
        assert len(codes) == 20
        client = Client()
        client.post("/staff/login/", {"username": "staff", "password": "demo-staff-password"})
        response = client.post("/staff/two-factor/", {"token": codes[0]})
        assert response.status_code == 302
        assert client.get("/staff/").status_code == 200

    def test_the_printed_passwords_work(self):
        load_demo()
        for demo in DEMO_STAFF:
            request = RequestFactory().post("/staff/login/")
            assert authenticate(request, username=demo.username, password=demo.password) is not None

    def test_it_adds_the_stock_replies(self):
        load_demo()
        confidentiality = CannedResponse.objects.get(kind=CannedResponse.Kind.CONFIDENTIALITY)
        assert confidentiality.body == texts.CONFIDENTIALITY_STATEMENT
        titles = set(CannedResponse.objects.values_list("title", flat=True))
        for title in (
            "Are you still there?",
            "Closing the chat",
            "Signposting: self-help reading",
            "Signposting: a GP or therapist",
            "Signposting: urgent help",
        ):
            assert title in titles
        for reply in CannedResponse.objects.all():
            assert not re.search(r"\d{4,}|www\.|https?://|@", reply.body)  # no numbers, sites or addresses

    def test_it_is_idempotent_and_keeps_admins_edits(self):
        load_demo()
        CannedResponse.objects.filter(title="Closing the chat").update(body="Our own closing words.")
        load_demo()
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert User.objects.filter(username__in=["staff", "supervisor", "admin"]).count() == 3
        assert StaffProfile.objects.count() == 3
        assert CannedResponse.objects.count() == 6
        assert CannedResponse.objects.get(title="Closing the chat").body == "Our own closing words."

    @override_settings(PRODUCTION=True)
    def test_it_creates_no_known_passwords_in_production(self):
        lines = load_demo()
        assert lines == ["Demo staff accounts were not created: this site runs in production mode."]
        assert not User.objects.filter(username="staff").exists()


class DemoContentPeopleTestCase(TestCase):
    def test_an_editor_and_a_reviewer_can_use_the_admin_but_read_no_chats(self):
        editor = printed_logins(load_demo())["editor"]
        assert editor["line"].startswith("Editor (writes and submits self-help pages) login: editor / ")
        assert editor["password"] == "demo-editor-password"
        code = editor["codes"][0]
        client = Client()
        client.post("/staff/login/", {"username": "editor", "password": "demo-editor-password"})
        client.post("/staff/two-factor/", {"token": code})
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/resources/resource/").status_code == 200
        assert client.get("/staff/").status_code == 403
        assert not StaffProfile.objects.filter(user__username__in=["editor", "reviewer"]).exists()
        assert User.objects.get(username="reviewer").groups.filter(name="Reviewers").exists()
