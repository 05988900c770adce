"""Words the service says to seekers. One source, so the chat page and the chat say the same.

Marked lazily: a page says them in its own language, and words posted into a chat are stored, so they
are produced in the chat's language (in_language), whichever language the request or task runs in."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def _(message: str) -> str:
    """gettext_lazy, typed as the str it stands in for: these words go wherever a str goes (pages,
    refusals, the stats page), said in the language active when they are read."""
    return cast(str, gettext_lazy(message))


def in_language(language: str, text: Promise | str, **values: object) -> str:
    """The text as said in `language` (a chat's own), with its %(name)s places filled."""
    codes = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in codes else settings.LANGUAGE_CODE):
        said = str(text)
    return said % values if values else said


CONFIDENTIALITY_STATEMENT = _(
    "This chat is anonymous and confidential. We will not ask for your name or where you live, "
    "and we keep no record of who you are. We are not the police and we do not report people for "
    "having thoughts or feelings. There is one limit: if you tell us something that identifies a "
    "child who is at risk of harm now, or a crime that is happening, we may have to pass that on "
    "to keep the child safe. If you are unsure, you can ask us about this at any point."
)

STAFF_JOINED = _("%(name)s from the helpline has joined the chat.")
# Said to each seeker put back in the queue, however many go back together: their place is the one
# they had when they first joined (ahead of everyone who came later), shown live on the page, so the
# words never promise "the front" to three people at once.
REQUEUED_AFTER_DROP = _(
    "We are sorry: the member of the team you were talking to has lost their connection. You have not "
    "lost your place. You are back in the queue in the place you had when you first joined, ahead of "
    "anyone who came later, and the next free member of the team will join you. Your place is shown "
    "on this page."
)
REQUEUED_BY_TRANSFER = _(
    "You are being passed to another member of the team. You are back in the queue in the place you "
    "had when you first joined, ahead of anyone who came later; your place is shown on this page. "
    "Please stay on this page."
)
# A supervisor joining a live chat to help, and leaving it again (helpline.chat.actions.notes).
TEAM_MEMBER_JOINED = _("Another member of the team has joined the chat to help.")
TEAM_MEMBER_LEFT = _("The member of the team who joined to help has left the chat.")
TRANSFERRED_TO = _("You are being passed to another member of the team, who will join you shortly.")
# Seen by both sides, so it names neither as "you".
SEEKER_ENDED = _("The chat was ended by the person who contacted the helpline. Thank you for talking to us.")
STAFF_ENDED = _("The helpline has ended this chat. Thank you for talking to us.")
SEEKER_VANISHED = _("The person you were chatting with seems to have left.")
CLOSED_AFTER_SEEKER_LEFT = _(
    "This chat was closed because you seem to have left. If you are still there, you are welcome to "
    "start a new chat at any time we are open, or to write us a secure message."
)

# --- the end of a chat ------------------------------------------------------------------------
# Why the chat ended, said under "This chat has ended." on the seeker's page (by ChatSession.EndReason).
ENDED_BY_STAFF = _("The helpline ended the chat.")
ENDED_BY_SEEKER = _("You ended this chat.")
ENDED_LEFT_QUEUE = _("You left the queue before anyone joined you.")
ENDED_ABANDONED = _("It was closed because this page seemed to have been left.")
ENDED_CLOSED = _(
    "We are sorry: the team finished for today before anyone could answer you. Reaching out still matters."
)
ENDED_STAYS = _("Your conversation stays here until you close it. What you can do next is below.")
ENDED_REASONS = {
    "staff_ended": ENDED_BY_STAFF,
    "seeker_ended": ENDED_BY_SEEKER,
    "left_queue": ENDED_LEFT_QUEUE,
    "abandoned": ENDED_ABANDONED,
    "closed": ENDED_CLOSED,
}
ENDED_CANNOT_SEND = _(
    "This chat has ended, so nothing more can be sent. Anything you had typed is still in the box, "
    "if you want to copy it."
)
ENDED_NOT_SENT = _(
    "This chat has ended, so your message was not sent. It is still in the box below, if you want to copy it."
)
# Said with every copy of a conversation the seeker keeps (a download, or a print).
KEEP_A_COPY_WARNING = _(
    "A copy is saved on this device: anyone using this device may find it; delete it when you are done."
)
COPY_FILE_NOTE = _(
    "Saved from your chat with the helpline. Anyone using this device may find this file; "
    "delete it when you are done."
)

# Three optional questions at the end of a chat, answered yes / not sure / no. Only daily counts of the
# answers are kept (helpline.stats.tallies), so the keys below are part of the counters' names: keep them.
FEEDBACK_QUESTIONS = (
    ("helpful", _("Was this chat helpful?")),
    ("safer", _("Do you feel more able to keep yourself and children safe?")),
    ("again", _("Would you contact us again?")),
)
FEEDBACK_ANSWERS = (("yes", _("Yes")), ("not_sure", _("Not sure")), ("no", _("No")))
FEEDBACK_THANKS = _(
    "Thank you for telling us. Your answers were added to a count for today and nothing else was kept."
)
FEEDBACK_EMPTY = _("You did not choose any answers, so nothing was sent. That is fine too.")
FEEDBACK_ALREADY = _("You have already answered these questions for this chat. Thank you.")
FEEDBACK_NOT_YET = _("These questions are for the end of a chat with a member of the team.")
