"""The admin: staff profiles and stock replies are managed; chats, wrap-ups and escalations are
read-only records, and no message text appears anywhere."""

from django.contrib.auth.models import User
from django.urls import reverse

from helpline.chat import actions as chat_actions
from helpline.models import CannedResponse, Escalation, Message, StaffProfile, WrapUp
from tests.helpline.staff_personas import StaffTestCase

SECRET_WORDS = "words that must never appear in the admin"


class AdminTestCase(StaffTestCase):
    def setUp(self):
        super().setUp()
        self.admin = User.objects.create_superuser("root", password="a long test password")
        self.chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(self.chat, Message.Sender.SEEKER, SECRET_WORDS)
        self.escalation = chat_actions.do_escalate(self.chat, self.staffer, Escalation.Reason.CHILD_AT_RISK)
        chat_actions.do_end_chat(self.chat, by_staff=self.staffer)
        self.chat.refresh_from_db()
        self.wrap_up = chat_actions.do_record_wrap_up(
            self.chat,
            self.staffer,
            chat_actions.WrapUpAnswers("self", ["thoughts"], ["gp"], "other", "substantive"),
        )
        self.login(self.admin)

    def test_chat_pages_show_no_transcript_or_token(self):
        for url in (
            reverse("admin:helpline_chatsession_changelist"),
            reverse("admin:helpline_chatsession_change", args=[self.chat.pk]),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                assert response.status_code == 200
                self.assertNotContains(response, SECRET_WORDS)
                self.assertNotContains(response, self.chat.token_hash)
        self.assertContains(
            self.client.get(reverse("admin:helpline_chatsession_changelist")), self.chat.public_id.hex[:6]
        )

    def test_messages_are_not_in_the_admin(self):
        self.assertNotContains(self.client.get(reverse("admin:index")), "Messages")

    def test_chats_wrap_ups_and_escalations_are_read_only(self):
        for model, obj in (
            ("chatsession", self.chat),
            ("wrapup", self.wrap_up),
            ("escalation", self.escalation),
        ):
            with self.subTest(model):
                assert self.client.get(reverse(f"admin:helpline_{model}_add")).status_code == 403
                change = reverse(f"admin:helpline_{model}_change", args=[obj.pk])
                assert self.client.get(change).status_code == 200
                self.client.post(change, {})
                assert (
                    self.client.get(reverse(f"admin:helpline_{model}_delete", args=[obj.pk])).status_code
                    == 403
                )
        self.escalation.refresh_from_db()
        assert self.escalation.reason == Escalation.Reason.CHILD_AT_RISK

    def test_wrap_up_and_escalation_lists_show_categories(self):
        response = self.client.get(reverse("admin:helpline_wrapup_changelist"))
        self.assertContains(response, "Substantive conversation")
        self.assertNotContains(response, SECRET_WORDS)
        response = self.client.get(reverse("admin:helpline_escalation_changelist"))
        self.assertContains(response, "A child may be at risk now")
        self.assertNotContains(response, SECRET_WORDS)

    def test_admins_manage_canned_responses(self):
        response = self.client.post(
            reverse("admin:helpline_cannedresponse_add"),
            {
                "title": "Breathing space",
                "kind": "other",
                "body": "Let's take a moment.",
                "order": "5",
                "active": "on",
            },
        )
        assert response.status_code == 302
        assert CannedResponse.objects.filter(title="Breathing space").exists()

    def test_the_staff_profile_is_edited_on_the_user(self):
        url = reverse("admin:auth_user_change", args=[self.staffer.user.pk])
        response = self.client.get(url)
        self.assertContains(response, "Helpline profile")
        self.assertContains(response, 'name="helpline_profile-0-display_name"')
        self.assertContains(response, 'value="de"')  # languages as ticks

    def test_the_staff_profile_admin_takes_languages_as_ticks(self):
        url = reverse("admin:helpline_staffprofile_change", args=[self.colleague.pk])
        response = self.client.post(
            url,
            {
                "user": str(self.colleague.user.pk),
                "display_name": "Kim",
                "languages": ["en", "nl"],
                "max_chats": "2",
            },
        )
        assert response.status_code == 302
        self.colleague.refresh_from_db()
        assert (self.colleague.languages, self.colleague.max_chats) == (["en", "nl"], 2)

    def test_availability_is_not_edited_in_the_admin(self):
        url = reverse("admin:helpline_staffprofile_change", args=[self.colleague.pk])
        self.client.post(
            url,
            {
                "user": str(self.colleague.user.pk),
                "display_name": "Kim",
                "languages": ["en"],
                "max_chats": "3",
                "availability": "available",
            },
        )
        self.colleague.refresh_from_db()
        assert self.colleague.availability == "offline"

    def test_staff_cannot_use_the_admin(self):
        self.login(self.staffer)
        response = self.client.get(reverse("admin:helpline_wrapup_changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        assert StaffProfile.objects.count() == 3
        assert WrapUp.objects.count() == 1
