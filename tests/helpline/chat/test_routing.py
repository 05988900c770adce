"""The assignment rule, as a pure function, checked on many generated queues and rotas."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.chat.routing import StaffSlot, WaitingSeeker, plan_assignments

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LANGS = ["en", "de", "nl"]

seekers = st.lists(
    st.builds(
        WaitingSeeker,
        session_id=st.integers(1, 10_000),
        priority=st.integers(0, 2),
        queued_at=st.integers(0, 3600).map(lambda s: NOW - timedelta(seconds=s)),
        language=st.sampled_from(LANGS),
    ),
    max_size=60,
    unique_by=lambda s: s.session_id,
)
staff = st.lists(
    st.builds(
        StaffSlot,
        staff_id=st.integers(1, 500),
        languages=st.frozensets(st.sampled_from(LANGS), min_size=1),
        max_chats=st.integers(0, 4),
        open_chats=st.integers(0, 4),
        idle_since=st.integers(0, 3600).map(lambda s: NOW - timedelta(seconds=s)),
        available=st.booleans(),
        wrap_up_due=st.booleans(),
    ),
    max_size=12,
    unique_by=lambda s: s.staff_id,
)


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_nobody_is_ever_over_capacity(waiting, rota):
    plan = plan_assignments(waiting, rota, NOW)
    by_id = {s.staff_id: s for s in rota}
    for slot_id in {a.staff_id for a in plan}:
        slot = by_id[slot_id]
        assert slot.available and not slot.wrap_up_due
        assert slot.open_chats + sum(1 for a in plan if a.staff_id == slot_id) <= slot.max_chats


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_each_seeker_goes_to_at_most_one_staff_member_who_speaks_their_language(waiting, rota):
    plan = plan_assignments(waiting, rota, NOW)
    assert len({a.session_id for a in plan}) == len(plan)
    languages = {s.session_id: s.language for s in waiting}
    by_id = {s.staff_id: s for s in rota}
    for assignment in plan:
        assert languages[assignment.session_id] in by_id[assignment.staff_id].languages


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_fifo_within_a_priority_and_language(waiting, rota):
    """If someone was served, everyone of the same priority and language who waited longer was too,
    and nobody of a lower priority is served while a higher-priority seeker of that language waits."""
    served = {a.session_id for a in plan_assignments(waiting, rota, NOW)}
    for seeker in waiting:
        if seeker.session_id not in served:
            continue
        for other in waiting:
            if other.language != seeker.language or other.session_id in served:
                continue
            earlier_same_priority = other.priority == seeker.priority and (
                other.queued_at,
                other.session_id,
            ) < (
                seeker.queued_at,
                seeker.session_id,
            )
            assert not earlier_same_priority, "a later seeker was served before an earlier one"
            assert other.priority <= seeker.priority, "a lower priority was served first"


@settings(max_examples=300, deadline=None)
@given(seekers, staff)
def test_no_free_slot_is_left_idle_while_a_matching_seeker_waits(waiting, rota):
    plan = plan_assignments(waiting, rota, NOW)
    served = {a.session_id for a in plan}
    load = {s.staff_id: s.open_chats for s in rota}
    for a in plan:
        load[a.staff_id] += 1
    for seeker in waiting:
        if seeker.session_id in served:
            continue
        for slot in rota:
            usable = slot.available and not slot.wrap_up_due and seeker.language in slot.languages
            assert not (usable and load[slot.staff_id] < slot.max_chats)


def test_the_least_busy_then_longest_idle_colleague_gets_the_chat():
    seeker = WaitingSeeker(1, 0, NOW, "en")
    busy = StaffSlot(10, frozenset({"en"}), 3, 2, NOW - timedelta(hours=2))
    free_recent = StaffSlot(11, frozenset({"en"}), 3, 0, NOW - timedelta(minutes=1))
    free_idle_longest = StaffSlot(12, frozenset({"en"}), 3, 0, NOW - timedelta(minutes=30))
    plan = plan_assignments([seeker], [busy, free_recent, free_idle_longest], NOW)
    assert [a.staff_id for a in plan] == [12]


def test_a_seeker_nobody_can_serve_does_not_hold_up_the_queue():
    german = WaitingSeeker(1, 0, NOW - timedelta(minutes=10), "de")
    english = WaitingSeeker(2, 0, NOW, "en")
    plan = plan_assignments([german, english], [StaffSlot(5, frozenset({"en"}), 1, 0, NOW)], NOW)
    assert [(a.session_id, a.staff_id) for a in plan] == [(2, 5)]
