"""The staff profile form the admin shows."""

from __future__ import annotations

from django import forms
from django.conf import settings

from helpline.models import StaffProfile


class StaffProfileForm(forms.ModelForm):
    """For admins: languages as ticks from the languages the service offers, not raw JSON."""

    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chats in these languages can be offered to this person.",
        error_messages={"required": "Tick at least one language."},
    )

    class Meta:
        model = StaffProfile
        fields = ["user", "display_name", "languages", "max_chats"]
        help_texts = {
            "display_name": "The short name seekers see in the chat, e.g. “Sam”. Not the person's real name.",
            "max_chats": "How many chats this person can hold at once.",
        }
