"""Demo stock replies for the console (created once; an admin's later edits are kept)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from helpline.chat import texts
from helpline.models import CannedResponse, CrisisContact

Kind = CannedResponse.Kind
DEMO_CANNED = [
    ("Confidentiality statement", Kind.CONFIDENTIALITY, texts.CONFIDENTIALITY_STATEMENT),
    (
        "Are you still there?",
        Kind.CHECK_IN,
        "Are you still there? Take all the time you need. If it is hard to find the words, "
        "you can start with just a few, and we can go from there.",
    ),
    (
        "Closing the chat",
        Kind.CLOSING,
        "Thank you for talking with us today. Reaching out about this takes courage, and it is a real "
        "step towards keeping yourself and others safe. You are welcome to come back to the chat "
        "whenever we are open, and the self-help reading on this site is there at any time. Take care.",
    ),
    (
        "Signposting: self-help reading",
        Kind.SIGNPOST,
        "There is self-help reading and guided modules on this site that many people find useful "
        "between conversations. You can use them anonymously, at your own pace, without signing up. "
        "You will find them under “Self-help” and “Guided modules” at the top of the page.",
    ),
    (
        "Signposting: a GP or therapist",
        Kind.SIGNPOST,
        "It could help to talk to a GP or a therapist about what you have told me. You do not have "
        "to explain everything at once: you could start by saying that you are struggling with "
        "thoughts that worry you and would like some support. If you like, we can think together "
        "about what you might say.",
    ),
    (
        "Signposting: urgent help",
        Kind.SIGNPOST,
        "If you feel you might harm yourself or someone else, or a child is in danger right now, "
        "please contact your local emergency services straight away. If you are in crisis but not "
        "in immediate danger, your GP, an out-of-hours doctor or a local mental-health crisis "
        "service can help you today.",
    ),
]


def load_demo_canned() -> None:
    # Stock replies are the team's own wording in the service's main language (English chats post the
    # confidentiality one as it is), whatever language happens to be active where the demo is loaded.
    with translation.override(settings.LANGUAGE_CODE):
        for order, (title, kind, body) in enumerate(DEMO_CANNED):
            # Created once; an admin's later edits are kept.
            CannedResponse.objects.get_or_create(
                title=title, defaults={"kind": kind, "body": str(body), "order": order}
            )


# Generic contacts that invent nothing (no made-up numbers or organisations): an admin replaces them with
# the real services of the countries the helpline serves.
DEMO_CRISIS_CONTACTS = [
    (
        gettext_lazy("Emergency services"),
        gettext_lazy(
            "Call your local emergency number: 112 in the European Union, 999 in the UK, "
            "911 in North America."
        ),
    ),
    (
        gettext_lazy("Your GP or local urgent mental-health service"),
        gettext_lazy(
            "Your doctor, or the urgent mental-health service where you live, can help you stay safe today."
        ),
    ),
]


def load_demo_crisis_contacts() -> None:
    """The demo's crisis contacts in every language of the site; a language that has any is left as it is."""
    for language, _name in settings.LANGUAGES:
        if CrisisContact.objects.filter(language=language).exists():
            continue
        with translation.override(language):
            for order, (name, how_to_reach) in enumerate(DEMO_CRISIS_CONTACTS):
                CrisisContact.objects.create(
                    language=language, name=str(name), how_to_reach=str(how_to_reach), order=order
                )
