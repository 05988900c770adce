"""Words the service says to seekers. One source, so the chat page and the chat say the same."""

CONFIDENTIALITY_STATEMENT = (
    "This chat is anonymous and confidential. We will not ask for your name or where you live, "
    "and we keep no record of who you are. We are not the police and we do not report people for "
    "having thoughts or feelings. There is one limit: if you tell us something that identifies a "
    "child who is at risk of harm now, or a crime that is happening, we may have to pass that on "
    "to keep the child safe. If you are unsure, you can ask us about this at any point."
)

STAFF_JOINED = "{name} from the helpline has joined the chat."
REQUEUED_AFTER_DROP = (
    "The connection to the person you were chatting with has dropped. You have not lost your "
    "place: you are at the front of the queue and the next free member of the team will join you."
)
REQUEUED_BY_TRANSFER = (
    "You are being passed to another member of the team. You are at the front of the queue; "
    "please stay on this page."
)
TRANSFERRED_TO = "You are being passed to another member of the team, who will join you shortly."
SEEKER_ENDED = "The person you were chatting with has ended the chat."
STAFF_ENDED = "The helpline has ended this chat. Thank you for talking to us."
SEEKER_VANISHED = "The person you were chatting with seems to have left."
