"""Staff read their pages in the language they chose, whatever language each chat is in; each chat's
language is shown by name before they accept it; the admin shows how far each catalogue's review has come.

The Dutch and Arabic words asserted here come from the catalogues (locale/), compiled before tests."""

import re

from django.contrib.auth.models import User
from django.urls import reverse

from helpline.models import StaffProfile
from tests.helpline.staff_personas import StaffTestCase

CONSOLE = "/staff/"
CHOOSER = "/staff/language/"


class InterfaceLanguageTestCase(StaffTestCase):
    def choose(self, profile: StaffProfile, language: str) -> None:
        StaffProfile.objects.filter(pk=profile.pk).update(interface_language=language)

    def script_texts(self, response) -> str:
        """The words the page's scripts show: carried in the page, or from the script-texts file it
        names in the page's language."""
        page = response.content.decode()
        found = re.search(r'<script src="(/\w+/script-texts\.js)"', page)
        return self.client.get(found.group(1)).content.decode() if found else page

    def test_staff_pages_start_in_the_services_language(self):
        assert self.staffer.interface_language == "en"
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, '<html lang="en" dir="ltr">')
        self.assertContains(response, "Your chats")

    def test_a_dutch_speaking_worker_reads_the_console_in_dutch(self):
        self.choose(self.staffer, "nl")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, '<html lang="nl" dir="ltr">')
        self.assertContains(response, "Jouw chats")
        self.assertContains(response, "Je hebt geen chats open.")
        self.assertContains(response, "Afmelden")  # the header: Sign out
        self.assertNotContains(response, "You have no chats open.")
        # The scripts' words come in Dutch too.
        assert "Je hebt geen live chats." in self.script_texts(response)
        assert response.headers["Content-Language"] == "nl"

    def test_the_language_follows_the_person_not_the_browser(self):
        self.choose(self.staffer, "nl")
        self.login(self.staffer)
        response = self.client.get("/staff/inbox/", HTTP_ACCEPT_LANGUAGE="de")
        self.assertContains(response, '<html lang="nl" dir="ltr">')

    def test_arabic_staff_pages_read_right_to_left(self):
        self.choose(self.supervisor, "ar")
        self.login(self.supervisor)
        for url in (CONSOLE, reverse("staff-supervisor"), reverse("staff-inbox"), reverse("staff-stats")):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertContains(response, '<html lang="ar" dir="rtl">')
        # The frame that keeps a page without JavaScript current speaks it too.
        frame = self.client.get(reverse("staff-pulse-frame"))
        self.assertContains(frame, '<html lang="ar" dir="rtl">')

    def test_a_colleague_keeps_their_own_language(self):
        self.choose(self.staffer, "ar")
        self.login(self.colleague)
        self.assertContains(self.client.get(CONSOLE), '<html lang="en" dir="ltr">')


class ChooserTestCase(StaffTestCase):
    def test_the_header_offers_every_language_by_its_own_name(self):
        self.login(self.staffer)
        response = self.client.get(reverse("staff-inbox"))
        self.assertContains(response, f'action="{CHOOSER}"')
        # Back to the same page from each header form: availability, this chooser, a debrief request.
        self.assertContains(response, '<input type="hidden" name="next" value="/staff/inbox/">', count=3)
        self.assertContains(response, '<option value="en" lang="en" selected>English</option>', html=True)
        self.assertContains(response, '<option value="ar" lang="ar">العربية</option>', html=True)
        self.assertContains(response, '<option value="nl" lang="nl">Nederlands</option>', html=True)

    def test_choosing_without_javascript_returns_to_the_same_page_in_that_language(self):
        self.login(self.staffer)
        response = self.client.post(CHOOSER, {"language": "ar", "next": "/staff/inbox/"})
        self.assertRedirects(response, "/staff/inbox/", fetch_redirect_response=False)
        self.staffer.refresh_from_db()
        assert self.staffer.interface_language == "ar"
        page = self.client.get(response["Location"])
        self.assertContains(page, '<html lang="ar" dir="rtl">')
        self.assertContains(page, '<option value="ar" lang="ar" selected>العربية</option>', html=True)

    def test_the_page_script_gets_json(self):
        self.login(self.staffer)
        data = self.post_json(CHOOSER, {"language": "nl", "next": CONSOLE}).json()
        assert data == {"ok": True, "notice": "", "language": "nl"}

    def test_a_language_the_service_does_not_offer_is_refused(self):
        self.login(self.staffer)
        response = self.client.post(CHOOSER, {"language": "xx", "next": "/staff/inbox/"}, follow=True)
        self.assertContains(response, "Choose one of the languages in the list.")
        self.staffer.refresh_from_db()
        assert self.staffer.interface_language == "en"

    def test_it_only_goes_back_to_a_staff_page(self):
        self.login(self.staffer)
        response = self.client.post(CHOOSER, {"language": "de", "next": "https://example.com/"})
        self.assertRedirects(response, CONSOLE, fetch_redirect_response=False)

    def test_it_is_for_signed_in_staff_only(self):
        response = self.client.post(CHOOSER, {"language": "de"})
        assert response.status_code == 302 and "/staff/login/" in response["Location"]
        self.login(self.editor)
        assert self.client.post(CHOOSER, {"language": "de"}).status_code == 403

    def test_it_takes_posts_only(self):
        self.login(self.staffer)
        assert self.client.get(CHOOSER).status_code == 405


class ChatLanguageTestCase(StaffTestCase):
    """Staff know a chat's language before they accept it: by its name, as its speakers write it."""

    def setUp(self):
        super().setUp()
        StaffProfile.objects.update(languages=["en", "nl", "fr", "ar"])
        for profile in (self.staffer, self.colleague, self.supervisor):
            profile.refresh_from_db()

    def test_an_offer_names_the_chats_language(self):
        self.set_available(self.staffer)
        self.offered_chat(self.staffer, language="ar")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, '<span data-field="language">العربية</span>')
        # On any other staff page the header's offer banner says it too, and so does the pulse.
        self.assertContains(self.client.get(reverse("staff-inbox")), "العربية")
        pulse = self.client.get(reverse("staff-pulse")).json()
        assert pulse["offers"][0]["language_name"] == "العربية"

    def test_a_chat_panel_names_the_chats_language_in_any_interface_language(self):
        StaffProfile.objects.filter(pk=self.staffer.pk).update(interface_language="de")
        self.staffer.refresh_from_db()
        chat = self.active_chat(self.staffer, language="nl")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, '<html lang="de" dir="ltr">')
        panel = response.content.decode().split(f'id="chat-{chat.public_id.hex}"')[1].split("</header>")[0]
        assert "<span>Nederlands</span>" in panel

    def test_the_board_names_each_live_chats_language(self):
        self.active_chat(self.staffer, language="fr")
        self.login(self.supervisor)
        response = self.client.get(reverse("staff-supervisor"))
        self.assertContains(response, "<td>Français</td>")


class CatalogueStatusTestCase(StaffTestCase):
    URL = "/admin/helpline/translationcatalogue/"

    def setUp(self):
        super().setUp()
        self.admin = User.objects.create_superuser("root", password="a long test password")

    def test_the_admin_index_links_to_it(self):
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("admin:index")), f'href="{self.URL}"')

    def test_it_lists_all_six_catalogues_with_their_review(self):
        self.login(self.admin)
        response = self.client.get(self.URL)
        assert response.status_code == 200
        page = response.content.decode()
        for code, name in (
            ("nl", "Nederlands"),
            ("de", "Deutsch"),
            ("fr", "Français"),
            ("es", "Español"),
            ("ro", "Română"),
            ("ar", "العربية"),
        ):
            with self.subTest(code):
                row = page.split(f'<tr data-language="{code}">')[1].split("</tr>")[0]
                assert f'<span lang="{code}">{name}</span>' in row
                assert "awaiting review by a native-speaking helpline worker" in row
                assert "%" in row  # how much of it is translated
        self.assertContains(response, "6 catalogues")

    def test_it_is_read_only(self):
        self.login(self.admin)
        assert self.client.get(self.URL + "add/").status_code == 403

    def test_staff_accounts_of_the_admin_may_read_it_and_others_may_not(self):
        self.editor.is_staff = True
        self.editor.save()
        self.login(self.editor)
        assert self.client.get(self.URL).status_code == 200
        self.client.logout()
        self.login(self.staffer)  # helpline staff, not an admin account
        response = self.client.get(self.URL)
        assert response.status_code == 302 and "login" in response["Location"]
        self.client.logout()
        response = self.client.get(self.URL)
        assert response.status_code == 302 and "login" in response["Location"]

    def test_the_admin_speaks_the_language_its_reader_chose(self):
        # An admin who is also on the helpline staff reads the admin in their own language too.
        StaffProfile.objects.create(
            user=self.admin, display_name="Root", languages=["en"], interface_language="ar"
        )
        self.login(self.admin)
        response = self.client.get(self.URL)
        self.assertContains(response, 'lang="ar" dir="rtl"')


class OneProfileReadPerRequestTestCase(StaffTestCase):
    """Choosing a language must not cost every staff request a second read of the profile: the pulse each
    open staff page sends every few seconds reads it once, for the language and the guard together."""

    def profile_reads(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200
        return sum(
            1
            for query in queries.captured_queries
            if query["sql"].lstrip().startswith("SELECT") and 'FROM "helpline_staffprofile"' in query["sql"]
        )

    def test_the_pulse_and_the_console_read_the_profile_once(self):
        StaffProfile.objects.filter(pk=self.staffer.pk).update(interface_language="de")
        self.login(self.staffer)
        assert self.profile_reads(reverse("staff-pulse")) == 1
        response = self.client.get(CONSOLE)
        self.assertContains(response, '<html lang="de" dir="ltr">')
