"""The wrap-up form staff fill in after a chat. Categories only: nothing here can hold who a person was."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpline.chat.actions import WrapUpAnswers
from helpline.models import WrapUp


class WrapUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the contact go?"),
        choices=WrapUp.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the contact went.")},
    )
    about = forms.ChoiceField(
        label=_("Who was the contact about?"),
        choices=WrapUp.About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the contact was about, or “Other”.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("What came up?"),
        choices=WrapUp.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick all that apply. Not needed for silent, test or abusive contacts."),
    )
    protective_actions = forms.MultipleChoiceField(
        label=_("Protective actions agreed"),
        choices=WrapUp.ProtectiveAction.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick all that were agreed, or “None agreed”."),
    )
    heard_from = forms.ChoiceField(
        label=_("How did they hear of us?"),
        choices=WrapUp.HeardFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they heard of us, or “Other / not said”.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        topics = cleaned.get("topics") or []
        agreed = cleaned.get("protective_actions") or []
        if outcome == WrapUp.Outcome.SUBSTANTIVE:
            if not topics and "topics" not in self.errors:
                self.add_error(
                    "topics", gettext("Tick at least one topic for a conversation that took place.")
                )
            if not agreed and "protective_actions" not in self.errors:
                self.add_error("protective_actions", gettext("Tick the actions agreed, or “None agreed”."))
        if WrapUp.ProtectiveAction.NONE in agreed and len(agreed) > 1:
            self.add_error(
                "protective_actions", gettext("“None agreed” cannot be ticked together with other actions.")
            )
        return cleaned

    def answers(self) -> WrapUpAnswers:
        data = self.cleaned_data
        return WrapUpAnswers(
            about=data["about"],
            topics=list(data["topics"]),
            protective_actions=list(data["protective_actions"]),
            heard_from=data["heard_from"],
            outcome=data["outcome"],
        )
