"""A demo month of figures, so the statistics page of `make run` shows what a month of real work looks like.

The counts are made the way the real ones are: each made-up contact of each day is turned into the
counter names the rooms' actions would have bumped for it (started, answered or missed with its wait,
the wrap-up's categories, feedback answers, escalations), in total and for its language, and only the
sums are stored. So every figure agrees with the others exactly as real figures do (a day's "answered"
never exceeds its "started", the wait buckets add up to the chats), and suppression has real small
counts to hide. Days that already hold counts (today, once someone has used the demo) are left alone,
so running the demo again never doubles a day or overwrites real use.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpline.chat import texts
from helpline.models import DailyCount
from helpline.stats import tallies

DEMO_DAYS = 35
# Roughly how a helpline with this mix of languages hears from people; the weights need not add to 1.
LANGUAGE_WEIGHTS = {"en": 50, "nl": 12, "de": 14, "fr": 9, "es": 7, "ro": 4, "ar": 4}


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def contact_names(rng: random.Random) -> list[str]:
    """The counter names one made-up chat would have bumped over its life."""
    names = [tallies.CHATS_STARTED]
    if rng.random() < 0.2:  # about one in five is missed: the queue was long, or they changed their mind
        waited = timedelta(minutes=rng.choice((0.5, 2, 4, 9, 20, 40)))
        gone = tallies.CHATS_CLOSED_WAITING if rng.random() < 0.15 else tallies.CHATS_ABANDONED
        return [*names, gone, tallies.wait_missed(tallies.wait_bucket(waited))]
    waited = timedelta(minutes=rng.choice((0.3, 0.6, 0.8, 2, 3, 4, 7, 12, 18, 35)))
    names += [tallies.CHATS_ANSWERED, tallies.wait_answered(tallies.wait_bucket(waited))]
    outcome = _pick(
        rng,
        {"substantive": 70, "left_early": 12, "silent": 8, "wrong_service": 6, "test": 2, "abusive": 2},
    )
    names.append(f"wrap_up.outcome.{outcome}")
    about = _pick(rng, {"self": 72, "another_adult": 14, "young_person": 6, "professional": 6, "other": 2})
    names.append(f"wrap_up.about.{about}")
    heard = _pick(
        rng,
        {
            "search_warning": 30,
            "social_ad": 18,
            "police": 10,
            "professional": 14,
            "word_of_mouth": 8,
            "other": 20,
        },
    )
    names.append(f"wrap_up.heard_from.{heard}")
    if outcome == "substantive":
        topics = rng.sample(
            ["thoughts", "online_images", "contact", "family", "arrest", "mental_health", "other"],
            k=rng.choice((1, 1, 2, 2, 3)),
        )
        names += [f"wrap_up.topic.{topic}" for topic in topics]
        actions = rng.sample(
            ["stop_sites", "blocking", "gp", "therapy", "self_help", "call_back"], k=rng.choice((0, 1, 2, 2))
        )
        names += [f"wrap_up.protective_action.{action}" for action in actions or ["none"]]
        if rng.random() < 0.06:  # an escalation is rare, so its figures are mostly "fewer than 5"
            reason = _pick(rng, {"risk_to_self": 5, "child_at_risk": 2, "staff_support": 2, "other": 1})
            decision = _pick(rng, {"supported": 5, "signposted": 3, "passed_on": 1, "debrief": 1})
            names += [f"escalation.reason.{reason}", f"escalation.decision.{decision}"]
        if rng.random() < 0.35:
            names.append(tallies.FEEDBACK_FORMS)
            for question, _label in texts.FEEDBACK_QUESTIONS:
                if rng.random() < 0.9:
                    answer = _pick(rng, {"yes": 70, "not_sure": 22, "no": 8})
                    names.append(tallies.feedback_answer(question, answer))
    return names


def day_counts(day: date, rng: random.Random) -> Counter[str]:
    """All of one day's counters, in total and per language."""
    counts: Counter[str] = Counter()
    weekend = day.weekday() >= 5
    languages = [code for code, _name in settings.LANGUAGES if code in LANGUAGE_WEIGHTS]
    weights = {code: LANGUAGE_WEIGHTS[code] for code in languages}

    def add(code: str, names: list[str]) -> None:
        for name in names:
            counts[name] += 1
            counts[tallies.language_name(code, name)] += 1

    for _chat in range(rng.randint(6, 14) if weekend else rng.randint(14, 30)):
        add(_pick(rng, weights), contact_names(rng))
    for _visit in range(rng.randint(2, 9) if weekend else rng.randint(0, 4)):
        add(_pick(rng, weights), [tallies.TURNED_AWAY_CLOSED])
    for _visit in range(rng.choice((0, 0, 0, 1, 2))):
        add(_pick(rng, weights), [tallies.TURNED_AWAY_FULL])
    for _thread in range(rng.randint(1, 6)):
        code = _pick(rng, weights)
        add(code, [tallies.SECURE_THREADS_STARTED, tallies.SECURE_RECEIVED])
        replied = tallies.SECURE_ANSWERED_IN_TARGET if rng.random() < 0.85 else tallies.SECURE_ANSWERED_LATE
        add(code, [replied])
        if rng.random() < 0.4:  # a second message in the same thread
            add(code, [tallies.SECURE_RECEIVED])
    return counts


def load_demo_figures(
    today: date | None = None,
    days: int = DEMO_DAYS,
    more: Callable[[date, random.Random], Counter[str]] | None = None,
) -> int:
    """Store a made-up month of counts for the days before today that have none; returns how many days
    were filled. `more` adds other rooms' counters for a day (the demo campaigns')."""
    today = today or timezone.localdate()
    wanted = [today - timedelta(days=n) for n in range(days, 0, -1)]
    taken = set(DailyCount.objects.filter(day__in=wanted).values_list("day", flat=True).distinct())
    rows = []
    filled = 0
    for day in wanted:
        if day in taken:
            continue
        filled += 1
        rng = random.Random(day.toordinal())  # the same month every time the demo is loaded
        counts = day_counts(day, rng)
        if more is not None:
            counts.update(more(day, rng))
        rows += [DailyCount(day=day, name=name, value=value) for name, value in counts.items()]
    with transaction.atomic():
        DailyCount.objects.bulk_create(rows, ignore_conflicts=True)
    return filled
