"""The demo month of figures: what `make run` shows on the statistics page must look like real work, add up
the way real counts do, and never touch a day that already holds real counts."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.conf import settings

from helpline.models import DailyCount, Escalation, WrapUp
from helpline.stats import figures, tallies
from helpline.stats.demo import DEMO_DAYS, load_demo_figures

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def stored() -> dict[date, dict[str, int]]:
    days: dict[date, dict[str, int]] = defaultdict(dict)
    for day, name, value in DailyCount.objects.values_list("day", "name", "value"):
        days[day][name] = value
    return days


def known_names() -> set[str]:
    """Every name the statistics page reads."""
    names = {name for measure in figures.MEASURES for name in measure.names}
    names |= {tallies.CHATS_STARTED, tallies.SECURE_THREADS_STARTED, tallies.FEEDBACK_FORMS}
    for bucket, _upper in tallies.WAIT_BUCKETS:
        names |= {tallies.wait_answered(bucket), tallies.wait_missed(bucket)}
    for _title, prefix, choices in figures.CATEGORY_SOURCES:
        names |= {f"{prefix}.{value}" for value, _label in choices}
    for question in ("helpful", "safer", "again"):
        names |= {tallies.feedback_answer(question, answer) for answer in ("yes", "not_sure", "no")}
    return names


def test_a_month_before_today_is_filled_and_today_is_left_for_real_use():
    assert load_demo_figures(TODAY) == DEMO_DAYS
    days = stored()
    assert sorted(days) == [TODAY - timedelta(days=n) for n in range(DEMO_DAYS, 0, -1)]
    assert TODAY not in days


def test_every_counter_is_one_the_statistics_page_reads_in_total_or_for_a_language():
    load_demo_figures(TODAY)
    languages = {code for code, _name in settings.LANGUAGES}
    names = known_names()
    for counts in stored().values():
        for name in counts:
            if name.startswith("lang."):
                _lang, code, base = name.split(".", 2)
                assert code in languages and base in names, name
            else:
                assert name in names, name


def test_the_figures_add_up_as_real_counts_do():
    load_demo_figures(TODAY)
    for day, counts in stored().items():
        started = counts[tallies.CHATS_STARTED]
        answered = counts.get(tallies.CHATS_ANSWERED, 0)
        missed = counts.get(tallies.CHATS_ABANDONED, 0) + counts.get(tallies.CHATS_CLOSED_WAITING, 0)
        assert answered + missed == started, day
        assert sum(counts.get(tallies.wait_answered(b), 0) for b, _ in tallies.WAIT_BUCKETS) == answered
        assert sum(counts.get(tallies.wait_missed(b), 0) for b, _ in tallies.WAIT_BUCKETS) == missed
        outcomes = sum(counts.get(f"wrap_up.outcome.{v}", 0) for v, _ in WrapUp.Outcome.choices)
        assert outcomes == answered, day
        assert counts.get(tallies.FEEDBACK_FORMS, 0) <= answered
        decided = sum(counts.get(f"escalation.decision.{v}", 0) for v, _ in Escalation.Decision.choices)
        raised = sum(counts.get(f"escalation.reason.{v}", 0) for v, _ in Escalation.Reason.choices)
        assert decided == raised
        # Each language's share adds up to the total, counter by counter.
        for name, value in counts.items():
            if not name.startswith("lang."):
                split = sum(counts.get(f"lang.{code}.{name}", 0) for code, _ in settings.LANGUAGES)
                assert split == value, (day, name)


def test_it_looks_like_a_helpline_month_with_small_counts_left_to_hide():
    load_demo_figures(TODAY)
    days = stored()
    started = [counts[tallies.CHATS_STARTED] for counts in days.values()]
    assert 300 < sum(started) < 1000
    # Weekends are quieter, as on a real line with shorter hours.
    weekday = [c[tallies.CHATS_STARTED] for d, c in days.items() if d.weekday() < 5]
    weekend = [c[tallies.CHATS_STARTED] for d, c in days.items() if d.weekday() >= 5]
    assert sum(weekend) / len(weekend) < sum(weekday) / len(weekday)
    # Some figures are small enough to be shown as "fewer than 5", some large enough to be shown.
    values = [v for counts in days.values() for v in counts.values()]
    assert any(0 < v < figures.small_count() for v in values)
    assert any(v >= figures.small_count() for v in values)


def test_loading_again_changes_nothing_and_a_day_with_real_counts_is_never_touched():
    real_day = TODAY - timedelta(days=3)
    DailyCount.objects.create(day=real_day, name=tallies.CHATS_STARTED, value=2)
    assert load_demo_figures(TODAY) == DEMO_DAYS - 1
    before = stored()
    assert before[real_day] == {tallies.CHATS_STARTED: 2}
    assert load_demo_figures(TODAY) == 0
    assert stored() == before


def test_the_demo_campaigns_bring_visits_and_chats_and_the_police_message_only_while_it_runs():
    from helpline.campaigns import measures
    from helpline.campaigns.demo import demo_campaign_counts, load_demo_campaigns
    from helpline.models import Campaign

    lines = load_demo_campaigns("http://127.0.0.1:8000", today=TODAY)
    assert len(Campaign.objects.all()) == 2
    assert any("http://127.0.0.1:8000/r/" in line for line in lines)
    load_demo_campaigns("http://127.0.0.1:8000", today=TODAY)  # again: still two
    assert Campaign.objects.count() == 2
    load_demo_figures(TODAY, more=demo_campaign_counts)
    days = stored()
    search = Campaign.objects.get(channel=Campaign.Channel.SEARCH_WARNING)
    police = Campaign.objects.get(channel=Campaign.Channel.POLICE_MESSAGE)
    for day, counts in days.items():
        for campaign in (search, police):
            landings = counts.get(measures.counter_name(campaign.id, measures.LANDINGS), 0)
            started = counts.get(measures.counter_name(campaign.id, measures.CHATS_STARTED), 0)
            answered = counts.get(measures.counter_name(campaign.id, measures.CHATS_ANSWERED), 0)
            assert answered <= started <= landings
            assert (landings > 0) == campaign.is_active_on(day), (campaign.partner, day)
            # A campaign's chats are some of the day's chats, never more.
            assert started <= counts[tallies.CHATS_STARTED]
    assert sum(c.get(measures.counter_name(search.id, measures.LANDINGS), 0) for c in days.values()) > 300
