"""Each web process checks all its open consoles' sign-ins together (helpline.chat.sign_in_watch).

A change no signal announces (an account deactivated in bulk, a session expired or cleared) still
reaches a console that sends nothing, and consoles that are busy never wait for a check of their own:
their messages all go through the group commit.
"""

import asyncio
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django_otp import devices_for_user

from helpline.chat import consumers
from helpline.models import STAFF_GROUP, StaffProfile
from helpline.staff import socket_access
from helpline.staff.access import is_helpline_staff
from tests.helpline.staff.test_staff_socket_access import (
    bodies,
    calls_to,
    db,
    deactivate_without_signals,
    delete_the_session_without_signals,
    end_sign_in_unannounced,
    frames_until_closed,
    live_chat_with,
    open_console,
    receive_until,
    signed_in_browser,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_recheck(monkeypatch):
    monkeypatch.setattr(socket_access, "RECHECK_SECONDS", 1.0)  # the watch looks every half second


@pytest.mark.parametrize("change", ["account_updated_in_bulk", "session_gone"])
async def test_a_silent_console_closes_soon_after_a_change_nobody_announced(
    make_staff, short_recheck, change: str
):
    staffer = await db(make_staff)("sam")
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)
    await end_sign_in_unannounced(staffer, browser, change)

    frames, close_code = await frames_until_closed(console)  # the console sends nothing at all

    assert close_code == consumers.FORBIDDEN
    assert any(f.get("code") == "signed_out" for f in frames)
    await console.disconnect()


async def test_busy_consoles_never_stop_to_check_their_own_sign_in(make_staff, short_recheck, monkeypatch):
    """Across several recheck periods, every staff message goes out with its batch: no frame had to
    make the full check itself (which writes its message alone)."""
    staffer = await db(make_staff)("sam")
    live = await db(live_chat_with)(staffer)
    console = await open_console(await db(signed_in_browser)(staffer))
    own_checks = calls_to(monkeypatch, socket_access, "checked")

    sent = []
    for n in range(30):  # three seconds: three recheck periods
        await console.send_json_to({"type": "message", "chat": live.public_id.hex, "body": f"m{n}", "ref": n})
        await receive_until(console, "sent", ref=n)
        sent.append(f"m{n}")
        await asyncio.sleep(0.1)

    assert own_checks == []
    assert (await db(bodies)(live))[-30:] == sent
    await console.disconnect()


def access_of(profile: StaffProfile, browser: Any) -> socket_access.Access:
    session = browser.session
    return socket_access.Access(
        user_id=profile.user_id,
        profile_id=profile.id,
        session_key=session.session_key,
        device_id=session[socket_access.DEVICE_ID_SESSION_KEY],
    )


def test_one_check_for_many_consoles_tells_each_its_own_answer(make_staff):
    """Eight people, six of whose sign-ins ended in different ways: each answer belongs to its console.
    Being staff is the same rule as a page's (helpline.staff.access): a supervisor who is only in the
    supervisors' group still is; someone taken out of the staff groups, or without a profile, is not."""
    people = [make_staff(name) for name in ("ana", "ben", "cai", "dee", "eve")]
    people += [make_staff("fay"), make_staff("gus", supervisor=True), make_staff("hal")]
    browsers = [signed_in_browser(profile) for profile in people]
    accesses = [access_of(profile, browser) for profile, browser in zip(people, browsers, strict=True)]
    assert socket_access.still_holding(accesses) == [True] * 8

    deactivate_without_signals(people[0])
    delete_the_session_without_signals(people[1], browsers[1].cookies["sessionid"].value)
    for device in list(devices_for_user(people[2].user, confirmed=None)):
        device.delete()
    dee = get_user_model().objects.get(pk=people[3].user_id)
    dee.set_password("a new password for this account")
    dee.save()

    memberships = get_user_model().groups.through.objects
    memberships.filter(user_id=people[5].user_id).delete()  # in bulk: no signal says so
    memberships.filter(user_id=people[6].user_id, group__name=STAFF_GROUP).delete()
    StaffProfile.objects.filter(pk=people[7].pk).delete()

    still = [False, False, False, False, True, False, True, False]
    assert socket_access.still_holding(accesses) == still
    assert [socket_access.still_holds(access) for access in accesses] == still
    users = get_user_model().objects.in_bulk([profile.user_id for profile in people])
    assert [is_helpline_staff(users[profile.user_id]) for profile in people[4:]] == still[4:]


def test_checking_many_consoles_costs_the_same_queries_as_one(make_staff):
    people = [make_staff(f"person{n}") for n in range(8)]
    accesses = [access_of(profile, signed_in_browser(profile)) for profile in people]
    with CaptureQueriesContext(connection) as one:
        assert socket_access.still_holding(accesses[:1]) == [True]
    with CaptureQueriesContext(connection) as many:
        assert socket_access.still_holding(accesses) == [True] * 8
    assert len(many.captured_queries) == len(one.captured_queries)


async def test_while_the_database_cannot_be_reached_consoles_stay_open_and_the_log_names_no_session(
    monkeypatch, caplog
):
    from helpline.chat.sign_in_watch import SignInWatch

    def unreachable(accesses):
        raise OperationalError("could not read session 'k3y0fs0meone' (connection refused)")

    monkeypatch.setattr(socket_access, "still_holding", unreachable)
    closed: list[str] = []

    class QuietConsole:
        signed_out = False
        access = socket_access.Access(user_id=1, profile_id=1, session_key="k3y0fs0meone", device_id="d/1")

        async def sign_out(self) -> None:
            closed.append("closed")

    watch = SignInWatch()
    watch.consoles.add(QuietConsole())
    await watch.check_all()

    assert closed == []  # its own frames check for themselves until the watch gets through again
    assert "OperationalError" in caplog.text
    assert "k3y0fs0meone" not in caplog.text
