"""A seeker in their own language, in a real browser: Arabic on a phone, right to left, with an
Arabic-speaking member of staff (JavaScript on and off), and a Dutch seeker when nobody who speaks
Dutch is on duty. Expected words come from the catalogues (gettext under the page's language), so the
journeys check what the person reads, not English left behind."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from helpline.models import ChatSession, Message, StaffProfile
from resources.demo import load_demo_content
from tests.e2e.journeys.helpers import (
    go_available,
    make_staff_member,
    screenshot,
    sign_in,
    staff_send,
    wait_until_live,
)
from tests.e2e.journeys.test_accessibility import audit

PHONE = {"width": 360, "height": 740}
DIRECTION = """() => [document.documentElement.lang, document.documentElement.dir,
                    getComputedStyle(document.body).direction]"""


def words(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def speaks(member_profile: StaffProfile, languages: list[str], interface: str | None = None) -> None:
    member_profile.languages = languages
    fields = ["languages"]
    if interface:
        member_profile.interface_language = interface
        fields.append("interface_language")
    member_profile.save(update_fields=fields)


def accept_the_offer(staff: Page):
    offer = staff.locator("[data-offers] [data-offer]")
    expect(offer).to_have_count(1)
    chat = offer.get_attribute("data-offer")
    offer.locator("form[data-accept] button[type=submit]").click()
    panel = staff.locator(f"[data-chats] [data-chat='{chat}']")
    expect(panel).to_have_attribute("data-status", "active")
    return panel


def assert_axe_clean(page: Page, name: str, problems: dict[str, list[str]]) -> None:
    found = audit(page)
    if found:
        problems[name] = found


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_arabic_seeker_on_a_phone_chats_right_to_left_with_arabic_speaking_staff(site, browse, javascript):
    load_demo_content()  # the library, with its Arabic versions
    layla = make_staff_member("layla", "Layla")
    staff = browse.page(bypass_csp=True)
    sign_in(staff, site.url, layla)
    wait_until_live(staff)
    go_available(staff)
    # Layla chats in Arabic and has chosen Arabic for her own pages too.
    speaks(layla.profile, ["ar", "en"], interface="ar")
    staff.reload()
    assert staff.evaluate(DIRECTION)[:2] == ["ar", "rtl"]
    expect(staff.locator("[data-availability] button[value=available]")).to_have_attribute(
        "aria-pressed", "true"
    )

    seeker = browse.page(javascript=javascript, bypass_csp=True, is_mobile=True, has_touch=True, **PHONE)
    problems: dict[str, list[str]] = {}

    # The partner's link in Arabic: the whole page reads right to left, in Arabic.
    seeker.goto(site.url + "/ar/")
    assert seeker.evaluate(DIRECTION) == ["ar", "rtl", "rtl"]
    expect(seeker.locator("[data-quick-exit-link]")).to_have_text(words("ar", "Quick exit"))
    # The page is mirrored: the quick exit sits where the English page has it, reflected.
    arabic_exit = seeker.locator("[data-quick-exit-link]").bounding_box()
    seeker.goto(site.url + "/en/")
    english_exit = seeker.locator("[data-quick-exit-link]").bounding_box()
    assert arabic_exit and english_exit
    arabic_middle = arabic_exit["x"] + arabic_exit["width"] / 2
    english_middle = english_exit["x"] + english_exit["width"] / 2
    assert abs((PHONE["width"] - english_middle) - arabic_middle) < 40, (english_exit, arabic_exit)
    seeker.goto(site.url + "/ar/")
    if javascript:
        screenshot(seeker, "home-ar-phone")
        assert_axe_clean(seeker, "home (ar)", problems)
        for path in (
            "/ar/self-help/",
            "/ar/modules/",
            "/ar/messages/",
            "/ar/browse-safely/",
            "/ar/search/?q=help",
        ):
            seeker.goto(site.url + path)
            assert seeker.evaluate(DIRECTION)[:2] == ["ar", "rtl"], path
            assert_axe_clean(seeker, f"{path} (ar)", problems)
        # A piece written in Arabic, read right to left.
        seeker.goto(site.url + "/ar/self-help/")
        seeker.locator("main .card h3:not([lang]) a").first.click()
        expect(seeker.locator("main article")).to_have_attribute("lang", "ar")
        assert_axe_clean(seeker, "a piece in Arabic", problems)

    seeker.goto(site.url + "/ar/chat/")
    assert seeker.evaluate(DIRECTION)[:2] == ["ar", "rtl"]
    expect(seeker.locator("select[name=language]")).to_have_value("ar")
    if javascript:
        assert_axe_clean(seeker, "chat start (ar)", problems)
    seeker.click(f"button:has-text('{words('ar', 'Start chat')}')")
    seeker.wait_for_url(site.url + "/chat/session/")
    # No language in the address any more: the chat keeps the language it started in.
    assert seeker.evaluate(DIRECTION)[:2] == ["ar", "rtl"]
    chat = ChatSession.objects.get()
    assert chat.language == "ar"

    panel = accept_the_offer(staff)
    # Staff see the chat's language before and after accepting.
    expect(panel).to_contain_text("العربية")
    status = (
        seeker.locator("[data-chat-status]")
        if javascript
        else seeker.frame_locator("[data-chat-frame]").locator(".chat-status")
    )
    expect(status).to_contain_text("Layla")
    expect(status).not_to_contain_text("You are chatting with")

    question = "مرحبًا، أنا قلق بشأن أفكاري ولا أعرف من أين أبدأ."
    seeker.fill("#chat-body", question)
    if javascript:
        seeker.locator("#chat-body").press("Enter")
        expect(seeker.locator("#chat-body")).to_have_value("")
    else:
        seeker.click(f"#message-box button:has-text('{words('ar', 'Send')}')")
        seeker.wait_for_url(site.url + "/chat/session/")
    expect(panel.locator("[data-messages]")).to_contain_text("لا أعرف من أين أبدأ")

    reply = "شكرًا لأنك كتبت إلينا. خذ وقتك، ما الذي يشغل بالك؟"
    staff_send(panel, reply)
    transcript = (
        seeker.locator("[data-chat-transcript]")
        if javascript
        else seeker.frame_locator("[data-chat-frame]").locator(".transcript")
    )
    expect(transcript).to_contain_text("ما الذي يشغل بالك؟")
    # The words the service posted into the chat are Arabic too (the confidentiality statement first).
    system_lines = transcript.locator(".msg--system")
    expect(system_lines.first).not_to_contain_text("confidential")
    assert chat.messages.filter(sender=Message.Sender.SEEKER).count() == 1

    if javascript:
        direction = transcript.evaluate("el => getComputedStyle(el).direction")
        assert direction == "rtl"
        screenshot(seeker, "chat-ar-phone")
        assert_axe_clean(seeker, "chat under way (ar)", problems)
        # The console in its own interface language, Arabic, right to left.
        screenshot(staff, "staff-console-ar")
        assert_axe_clean(staff, "console (ar)", problems)
    assert problems == {}, problems
    browse.assert_only_own_origin()


def test_a_dutch_seeker_with_no_dutch_staff_on_duty_is_told_so_and_writes_instead(site, browse):
    sam = make_staff_member("sam", "Sam")  # on duty, English only
    staff = browse.page()
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    go_available(staff)

    seeker = browse.page(**PHONE)
    seeker.goto(site.url + "/nl/chat/")
    assert seeker.evaluate(DIRECTION)[:2] == ["nl", "ltr"]
    with translation.override("nl"):
        nobody = gettext(
            "Nobody who speaks %(language)s is on duty right now, so we cannot say how long it will be."
        ) % {"language": "Nederlands"}
    warning = seeker.locator("[data-busy-warning]")
    expect(warning).to_contain_text(nobody.split(",")[0])
    # Not the promise of a quick answer that would never come.
    expect(seeker.locator("body")).not_to_contain_text(words("nl", "You should be connected in a moment."))

    warning.locator("a").click()
    seeker.wait_for_url(site.url + "/nl/messages/")
    expect(seeker.locator("h1")).to_have_text(words("nl", "Write to us: secure messages"))
    seeker.fill("#secure-body", "Ik wil graag met iemand praten, maar liever in het Nederlands.")
    seeker.click(f"button:has-text('{words('nl', 'Send message')}')")
    expect(seeker.locator("h1")).to_have_text(words("nl", "Your message has been sent"))
    assert seeker.locator("#passphrase").input_value().strip()
    browse.assert_only_own_origin()
