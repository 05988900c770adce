"""Words this room's scripts show (config/js_texts.py gathers them for templates/_js_texts.html):
the console (static/js/staff-console.js), its live updates (staff-live.js) and the header every
staff page shares (staff-shell.js). %(name)s is filled in by the script (static/js/texts.js)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    # The console
    "staff.type_first": _("Please type a message before sending."),
    "staff.offer_alert": _("New chat offered: %(language)s, %(about)s. Accept or decline it below."),
    "staff.chat_ended_wrap_up": _("Chat %(ref)s has ended. Please complete the wrap-up."),
    "staff.seconds_to_accept": _("%(seconds)s s left to accept"),
    "staff.offer_run_out": _("This offer has run out of time."),
    "staff.that_chat_ended": _("That chat has ended."),
    "staff.no_live_chats": _("You have no live chats."),
    "staff.only_live_chat": _("This is your only live chat."),
    "staff.no_offer_now": _("No chat is offered to you right now."),
    "staff.offer_waiting": _("A chat is waiting for you to accept or decline it."),
    # Live updates (console, board, transcript)
    "staff.http_error": _("That did not work (error %(status)s). Please try again."),
    "staff.offline": _("Could not reach the server. Check the connection and try again."),
    "staff.title_alert": _("(!) %(title)s"),
    "staff.title_unread": _("(%(count)s new) %(title)s"),
    "staff.dismiss": _("Dismiss"),
    "staff.connecting": _("Connecting to live updates…"),
    "staff.live": _("Live updates on."),
    "staff.polling": _(
        "The live connection is down, so this page checks for updates every few seconds while it reconnects."
    ),
    "staff.reading": _("This chat is live. New messages appear here as they are sent."),
    "staff.signed_out_reload": _("You have been signed out. Reload the page to sign in again."),
    "staff.unconfirmed_signed_out": _(
        "Not confirmed: you have been signed out. Sign in again, then check the transcript before sending "
        "again."
    ),
    "staff.unconfirmed_dropped": _(
        "Not confirmed: the connection dropped. Check the transcript before sending again."
    ),
    "staff.read_the_chat": _("Read the chat"),
    "staff.escalation": _("Escalation: %(reason)s."),
    "staff.escalation_by": _("Escalation: %(reason)s (raised by %(name)s)."),
    "staff.debrief_requested": _("%(name)s asked for a debrief."),
    "staff.open_board": _("Open the supervisor board"),
    "staff.person": _("Person"),
    "staff.service_note": _("Service note"),
    "staff.staff": _("Staff"),
    "staff.new_message": _("New message in chat %(ref)s"),
    "staff.unread_count": _("%(count)s new"),
    "staff.ended": _("Ended"),
    "staff.chat_has_ended": _("This chat has ended."),
    # Private notes in a transcript (helpline.chat.models.StaffNote), as templates/.../_note.html says them
    "staff.private_note_from": _("Private note from %(name)s — the person cannot see this"),
    "staff.handover_note_from": _("Handover note from %(name)s — the person cannot see this"),
    "staff.a_colleague": _("a colleague"),
    "staff.new_note": _("New private note in chat %(ref)s"),
    # The header on every staff page
    "staff.you_are_now": _("You are now %(availability)s."),
    "staff.try_again": _("That did not work. Please try again."),
    "staff.new_chat_offered": _("New chat offered"),
    "staff.accept": _("Accept"),
    "staff.offer_words": _("New chat offered: %(language)s."),
    "staff.offer_words_about": _("New chat offered: %(language)s, %(about)s."),
    "staff.accept_at_top": _("%(offer)s Accept it at the top of the page."),
    "staff.back_to_queue": _("going back to the queue"),
    "staff.title_offer": _("(Offer) %(title)s"),
    "staff.chat_accepted": _("Chat %(ref)s accepted."),
    "staff.go_to_chat": _("Go to the chat"),
    "staff.accepted_save_first": _("Chat accepted. Go to the chat when you have saved what you are writing."),
    "staff.offer_gone": _("That offer is no longer open."),
    "staff.chat_ref": _("Chat %(ref)s"),
    "staff.new_message_in": _("New message in chat %(ref)s."),
    "staff.signed_out_please_reload": _(
        "You have been signed out. Please reload the page and sign in again."
    ),
    "staff.sound_on": _("Sound for offers: on"),
    "staff.sound_off": _("Sound for offers: off"),
    "staff.alerts_on": _("Desktop alerts: on"),
    "staff.alerts_off": _("Desktop alerts: off"),
    "staff.alerts_blocked": _("Desktop alerts: blocked by the browser"),
}
