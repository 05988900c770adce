"""The assignment rule, as a pure function, checked on many generated queues and rotas."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.chat.routing import StaffSlot, WaitingSeeker, can_take, plan_assignments, queue_order

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LANGS = ["en", "de", "nl"]
SKILLS = ["after_arrest", "someone_else", "young_people"]
SKILL_WAIT = timedelta(seconds=120)

seekers = st.lists(
    st.builds(
        WaitingSeeker,
        session_id=st.integers(1, 10_000),
        priority=st.integers(0, 2),
        queued_at=st.integers(0, 3600).map(lambda s: NOW - timedelta(seconds=s)),
        language=st.sampled_from(LANGS),
        skill=st.sampled_from(["", "", *SKILLS]),
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
        skills=st.frozensets(st.sampled_from(SKILLS)),
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


# --- priority and skills ------------------------------------------------------------------------


def _remaining(plan, rota):
    load = {s.staff_id: s.open_chats for s in rota}
    for a in plan:
        load[a.staff_id] += 1
    return [s for s in rota if s.has_free_slot and load[s.staff_id] < s.max_chats]


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_skilled_seekers_go_only_to_skilled_staff_until_their_wait_is_up(waiting, rota):
    plan = plan_assignments(waiting, rota, NOW, SKILL_WAIT)
    by_id = {s.staff_id: s for s in rota}
    seekers_by_id = {s.session_id: s for s in waiting}
    for assignment in plan:
        seeker = seekers_by_id[assignment.session_id]
        slot = by_id[assignment.staff_id]
        assert seeker.language in slot.languages
        if seeker.skill and NOW - seeker.queued_at < SKILL_WAIT:
            assert seeker.skill in slot.skills


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_nobody_past_the_skill_wait_is_left_waiting_while_someone_free_speaks_their_language(waiting, rota):
    plan = plan_assignments(waiting, rota, NOW, SKILL_WAIT)
    served = {a.session_id for a in plan}
    free = _remaining(plan, rota)
    for seeker in waiting:
        if seeker.session_id in served:
            continue
        assert not any(can_take(slot, seeker, NOW, SKILL_WAIT) for slot in free)
        if not seeker.skill or NOW - seeker.queued_at >= SKILL_WAIT:
            assert not any(seeker.language in slot.languages for slot in free)


@settings(max_examples=400, deadline=None)
@given(seekers, staff)
def test_priority_then_first_come_among_seekers_the_same_person_could_take(waiting, rota):
    """Whoever a staff member was given, nobody they could have taken instead was ahead of them in the
    queue (higher priority, or the same priority and waiting longer) and left waiting."""
    plan = plan_assignments(waiting, rota, NOW, SKILL_WAIT)
    served = {a.session_id for a in plan}
    by_id = {s.staff_id: s for s in rota}
    seekers_by_id = {s.session_id: s for s in waiting}
    for assignment in plan:
        given_ = seekers_by_id[assignment.session_id]
        slot = by_id[assignment.staff_id]
        for other in waiting:
            if other.session_id in served or not can_take(slot, other, NOW, SKILL_WAIT):
                continue
            assert queue_order(other) > queue_order(given_)


@settings(max_examples=200, deadline=None)
@given(seekers, staff)
def test_with_no_skills_in_play_the_rule_is_unchanged(waiting, rota):
    plain_waiting = [WaitingSeeker(s.session_id, s.priority, s.queued_at, s.language) for s in waiting]
    plain_rota = [
        StaffSlot(
            s.staff_id, s.languages, s.max_chats, s.open_chats, s.idle_since, s.available, s.wrap_up_due
        )
        for s in rota
    ]
    assert plan_assignments(plain_waiting, plain_rota, NOW, SKILL_WAIT) == plan_assignments(
        plain_waiting, plain_rota, NOW
    )


def test_a_triaged_seeker_who_came_later_is_offered_first():
    earlier = WaitingSeeker(1, 0, NOW - timedelta(minutes=10), "en")
    triaged = WaitingSeeker(2, 10, NOW, "en")
    plan = plan_assignments([earlier, triaged], [StaffSlot(5, frozenset({"en"}), 1, 0, NOW)], NOW)
    assert [a.session_id for a in plan] == [2]


def test_a_skilled_seeker_waits_for_a_skilled_colleague_then_goes_to_anyone():
    after_arrest = WaitingSeeker(1, 0, NOW - timedelta(seconds=30), "en", skill="after_arrest")
    later = WaitingSeeker(2, 0, NOW, "en")
    untrained = StaffSlot(5, frozenset({"en"}), 1, 0, NOW)
    # Within the wait: the untrained colleague takes the next person instead of leaving the slot idle.
    plan = plan_assignments([after_arrest, later], [untrained], NOW, SKILL_WAIT)
    assert [(a.session_id, a.staff_id) for a in plan] == [(2, 5)]
    # A trained colleague takes them at once, even busier than an untrained one.
    trained = StaffSlot(6, frozenset({"en"}), 3, 2, NOW, skills=frozenset({"after_arrest"}))
    plan = plan_assignments([after_arrest], [untrained, trained], NOW, SKILL_WAIT)
    assert [(a.session_id, a.staff_id) for a in plan] == [(1, 6)]
    # Past the wait, anyone who speaks the language.
    plan = plan_assignments([after_arrest, later], [untrained], NOW + SKILL_WAIT, SKILL_WAIT)
    assert [(a.session_id, a.staff_id) for a in plan] == [(1, 5)]
