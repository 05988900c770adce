"""Words the service says to seekers. One source, so the chat page and the chat say the same."""

CONFIDENTIALITY_STATEMENT = (
    "This chat is anonymous and confidential. We will not ask for your name or where you live, "
    "and we keep no record of who you are. We are not the police and we do not report people for "
    "having thoughts or feelings. There is one limit: if you tell us something that identifies a "
    "child who is at risk of harm now, or a crime that is happening, we may have to pass that on "
    "to keep the child safe. If you are unsure, you can ask us about this at any point."
)

STAFF_JOINED = "{name} from the helpline has joined the chat."
# Said to each seeker put back in the queue, however many go back together: their place is the one
# they had when they first joined (ahead of everyone who came later), shown live on the page, so the
# words never promise "the front" to three people at once.
REQUEUED_AFTER_DROP = (
    "We are sorry: the member of the team you were talking to has lost their connection. You have not "
    "lost your place. You are back in the queue in the place you had when you first joined, ahead of "
    "anyone who came later, and the next free member of the team will join you. Your place is shown "
    "on this page."
)
REQUEUED_BY_TRANSFER = (
    "You are being passed to another member of the team. You are back in the queue in the place you "
    "had when you first joined, ahead of anyone who came later; your place is shown on this page. "
    "Please stay on this page."
)
TRANSFERRED_TO = "You are being passed to another member of the team, who will join you shortly."
SEEKER_ENDED = "The person you were chatting with has ended the chat."
STAFF_ENDED = "The helpline has ended this chat. Thank you for talking to us."
SEEKER_VANISHED = "The person you were chatting with seems to have left."
CLOSED_AFTER_SEEKER_LEFT = (
    "This chat was closed because you seem to have left. If you are still there, you are welcome to "
    "start a new chat at any time we are open, or to write us a secure message."
)
