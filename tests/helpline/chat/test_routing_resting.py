"""The assignment rule with staff who are resting (past the longest shift, or on a break after a heavy
chat: helpline.staff.wellbeing), checked on many generated queues and rotas."""

from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.chat.routing import StaffSlot, plan_assignments
from tests.helpline.chat.test_routing import NOW, seekers

resting_rota = st.lists(
    st.builds(
        StaffSlot,
        staff_id=st.integers(1, 500),
        languages=st.frozensets(st.sampled_from(["en", "de", "nl"]), min_size=1),
        max_chats=st.integers(0, 4),
        open_chats=st.integers(0, 4),
        idle_since=st.just(NOW),
        available=st.booleans(),
        wrap_up_due=st.booleans(),
        resting=st.booleans(),
    ),
    max_size=12,
    unique_by=lambda s: s.staff_id,
)


@settings(max_examples=400, deadline=None)
@given(seekers, resting_rota)
def test_nobody_resting_is_offered_a_chat(waiting, rota):
    resting = {slot.staff_id for slot in rota if slot.resting}
    assert not {a.staff_id for a in plan_assignments(waiting, rota, NOW)} & resting


@settings(max_examples=400, deadline=None)
@given(seekers, resting_rota)
def test_resting_colleagues_change_nothing_for_the_others(waiting, rota):
    """The plan is the one made as if the resting people were not on the rota at all."""
    working = [slot for slot in rota if not slot.resting]
    assert plan_assignments(waiting, rota, NOW) == plan_assignments(waiting, working, NOW)
