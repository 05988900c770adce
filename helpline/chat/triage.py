"""Triage at the door: what a seeker may tell us before the chat starts, and what follows from it.

Two optional ticks say what is true right now ("I am not safe right now / I am thinking about ending my
life", "A child may be in danger now"). Either raises the chat's priority, so it is offered before
others (first come, first served among equals), and shows the seeker at once, while they wait, what they
can do right now: our own words, emergency services, and the crisis contacts an admin has set for the
chat's language. An optional "What is it about?" prefers a member of staff trained for it
(helpline.staff.models.Skill) for a while (helpline.chat.routing).

Only categories are kept, on the chat itself, so they go with it at the retention purge; the daily counts
keep one figure per kind (helpline.stats.tallies)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpline.errors import Refusal
from helpline.models import ChatSession, CrisisContact, Skill

Triage = ChatSession.Triage
Topic = ChatSession.Topic

# What the seeker reads on the start form: plain, in their own voice.
TRIAGE_CHOICES: list[tuple[str, Promise]] = [
    (Triage.NOT_SAFE, _("I am not safe right now / I am thinking about ending my life")),
    (Triage.CHILD_IN_DANGER, _("A child may be in danger now")),
]

# What staff read on the offer, the console and the board.
TRIAGE_LABELS: dict[str, Promise] = {
    Triage.NOT_SAFE: _("Urgent: not safe right now, may be thinking of ending their life"),
    Triage.CHILD_IN_DANGER: _("Urgent: a child may be in danger now"),
}
TOPIC_LABELS: dict[str, Promise] = {
    Topic.OWN_THOUGHTS: _("Their own thoughts or behaviour"),
    Topic.AFTER_ARREST: _("After an arrest or police contact"),
    Topic.SOMEONE_ELSE: _("Worried about someone else"),
    Topic.YOUNG_PERSON: _("A young person"),
}

# Which topic needs which skill; a topic not listed (or none) can go to anyone at once.
SKILL_FOR_TOPIC: dict[str, str] = {
    Topic.AFTER_ARREST: Skill.AFTER_ARREST,
    Topic.SOMEONE_ELSE: Skill.SOMEONE_ELSE,
    Topic.YOUNG_PERSON: Skill.YOUNG_PEOPLE,
}

# Who the chat is about, as the topic says it (the start form asks one question, not two).
ABOUT_FOR_TOPIC: dict[str, str] = {
    Topic.OWN_THOUGHTS: ChatSession.About.SELF,
    Topic.AFTER_ARREST: ChatSession.About.SELF,
    Topic.YOUNG_PERSON: ChatSession.About.SELF,
    Topic.SOMEONE_ELSE: ChatSession.About.SOMEONE_ELSE,
}


def about_of_topic(topic: str, *, said: str = "") -> str:
    """Who the chat is about: from the topic when one was chosen, else what the seeker said, if anything."""
    return ABOUT_FOR_TOPIC.get(topic, said)


def check_answers(answers: Collection[str], topic: str) -> None:
    if not set(answers) <= set(Triage.values) or topic not in Topic.values:
        raise Refusal("bad_choice", gettext("Please choose one of the options, or leave it blank."))


def start_fields(answers: Collection[str], topic: str) -> dict[str, object]:
    """The new chat's triage fields and its priority."""
    fields: dict[str, object] = {
        "not_safe": Triage.NOT_SAFE in answers,
        "child_in_danger": Triage.CHILD_IN_DANGER in answers,
        "topic": topic,
    }
    if fields["not_safe"] or fields["child_in_danger"]:
        fields["priority"] = settings.HELPLINE["TRIAGE_PRIORITY"]
    return fields


def skill_needed(chat: ChatSession) -> str:
    """The skill routing prefers for this chat ("" = none). Someone who did not pick a topic but said the
    chat is about someone else is served like the topic "someone else"."""
    if chat.topic:
        return SKILL_FOR_TOPIC.get(chat.topic, "")
    return Skill.SOMEONE_ELSE if chat.about == ChatSession.About.SOMEONE_ELSE else ""


def staff_labels(chat: ChatSession) -> list[str]:
    """What staff see about the triage, most urgent first ([] = none given)."""
    return [str(TRIAGE_LABELS[kind]) for kind in chat.triage]


def topic_label(chat: ChatSession) -> str:
    return str(TOPIC_LABELS.get(chat.topic, ""))


@dataclass(frozen=True)
class CrisisHelp:
    """What a seeker who ticked a triage answer reads while waiting (helpline/chat/_crisis_help.html)."""

    not_safe: bool
    child_in_danger: bool
    contacts: list[CrisisContact]


def crisis_help(chat: ChatSession) -> CrisisHelp | None:
    """None unless the seeker ticked a triage answer. The contacts are the admin's for the chat's
    language: those for anywhere first, then by country (we do not know where the seeker is)."""
    if not chat.triage:
        return None
    contacts = list(CrisisContact.objects.filter(language=chat.language, active=True))
    return CrisisHelp(chat.not_safe, chat.child_in_danger, contacts)
