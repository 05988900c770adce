"""The staff profile form the admin shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpline.models import Skill, StaffProfile


class StaffProfileForm(forms.ModelForm):
    """For admins: languages as ticks from the languages the service offers, not raw JSON."""

    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        label=_("chat languages"),
        help_text=_("Chats in these languages can be offered to this person."),
        error_messages={"required": _("Tick at least one language.")},
    )

    skills = forms.MultipleChoiceField(
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("skills"),
        help_text=_("Chats about these topics are offered to this person first."),
    )

    class Meta:
        model = StaffProfile
        fields = ["user", "display_name", "languages", "skills", "interface_language", "max_chats"]
        help_texts = {
            "display_name": _(
                "The short name seekers see in the chat, e.g. “Sam”. Not the person's real name."
            ),
            "max_chats": _("How many chats this person can hold at once."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out, the staff pages stay in the service's own language; the person can change it
        # themselves from the header of any staff page.
        self.fields["interface_language"].required = False

    def clean_interface_language(self) -> str:
        return str(self.cleaned_data.get("interface_language") or settings.LANGUAGE_CODE)
