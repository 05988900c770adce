"""Words this room's scripts show (config/js_texts.py gathers them for templates/_js_texts.html).

static/js/chat.js draws the same words the server draws without JavaScript, so several keys share their
English with templates/helpline/chat/*.html and helpline/chat/texts.py: one translation serves both.
Words in <strong> are split out by the script and set as text, never as HTML."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helpline.chat import texts

TEXTS: dict[str, Promise] = {
    "chat.sending": _("Sending…"),
    "chat.you": _("You"),
    "chat.helpline": _("Helpline"),
    "chat.position": _("You are <strong>number %(position)s</strong> in the queue."),
    "chat.waitingHint": _(
        "You can send messages once someone has joined you. Please keep this page open; you can read our "
        "self-help pages in another tab without losing your place."
    ),
    "chat.offered": _("A member of the team is about to join you."),
    "chat.chattingWith": _("You are chatting with <strong>%(name)s</strong>."),
    "chat.someone": _("a member of the team"),
    "chat.endChat": _("End chat"),
    "chat.leaveQueue": _("Leave the queue"),
    "chat.ended": _("This chat has ended."),
    "chat.copyTitle": _("Your conversation, %(date)s"),
    "chat.feedbackDropped": _("Your answers were not sent because the connection dropped. Please try again."),
    "chat.confirmLeaveTitle": _("Leave the queue?"),
    "chat.confirmEndTitle": _("End this chat?"),
    "chat.confirmLeaveText": _(
        "You will lose your place in the queue. You can start a new chat at any time we are open, or write "
        "us a secure message instead."
    ),
    "chat.confirmEndText": _(
        "Your conversation stays on this page, so you can read it, keep a copy or tell us how it went."
    ),
    "chat.yesLeave": _("Yes, leave the queue"),
    "chat.yesEnd": _("Yes, end it"),
    "chat.endDropped": _("The chat could not be ended because the connection dropped. Please try again."),
    "chat.endedNotSent": texts.ENDED_NOT_SENT,  # type: ignore[dict-item]
    "chat.empty": _("Please type a message before sending."),
    "chat.unconfirmed": _(
        "Your message has not been confirmed yet. It is still in the box; we are reconnecting and will send "
        "it again."
    ),
    "chat.notSent": _("Your message was not sent. Please try again."),
    "chat.sendDropped": _(
        "Your message was not sent because the connection dropped. It is still in the box: please try again."
    ),
}
