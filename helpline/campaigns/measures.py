"""The names a campaign's figures are counted under ("campaign.<id>.<measure>" in DailyCount), and the
chat's part of them, which helpline.stats.tallies adds to a chat's own figures as it counts them.

This module writes no counter itself, so the tallies can call it without the two needing each other."""

from __future__ import annotations

from helpline.models import ChatSession

LANDINGS = "landings"
PAGES = "pages"
MODULES = "modules"
CHATS_STARTED = "chats_started"
CHATS_ANSWERED = "chats_answered"
SECURE_MESSAGES = "secure_messages"
FEEDBACK = "feedback"
EXPIRED_LANDINGS = "expired_landings"
MEASURES = (
    LANDINGS,
    PAGES,
    MODULES,
    CHATS_STARTED,
    CHATS_ANSWERED,
    SECURE_MESSAGES,
    FEEDBACK,
    EXPIRED_LANDINGS,
)
# Codes nobody made (mistyped, made up, or a deleted campaign's): one count for them all, since keeping
# the code as typed would keep whatever a visitor chose to type.
UNKNOWN_LANDINGS = "campaign.unknown.landings"


def counter_name(campaign_id: int, measure: str) -> str:
    return f"campaign.{campaign_id}.{measure}"


def chat_counted(chat: ChatSession, *, started: bool, answered: bool) -> list[str]:
    """The campaign's counters for a chat's figures being counted now (started, answered), to be bumped
    with them on the chat's day. Once nothing more of the chat's can count for the campaign (it ended,
    answered or not), the chat lets go of the campaign: it carries it only until it is counted."""
    if chat.campaign_id is None:
        return []
    names = [counter_name(chat.campaign_id, CHATS_STARTED)] if started else []
    if answered:
        names.append(counter_name(chat.campaign_id, CHATS_ANSWERED))
    if chat.status == ChatSession.Status.ENDED:
        ChatSession.objects.filter(pk=chat.pk).update(campaign=None)
        chat.campaign_id = None
    return names
