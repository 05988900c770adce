"""The one-command demo has no Celery beat: the server runs beat's own schedule, entry by entry."""

from __future__ import annotations

import asyncio

import pytest

from config.celery import app as celery_app
from helpline import jobs
from helpline.embedded import EmbeddedSweep


class Recorded:
    def __init__(self) -> None:
        self.runs = 0

    def apply(self) -> None:
        self.runs += 1


@pytest.mark.asyncio
async def test_the_demo_runs_every_beat_entry_on_its_own_interval(settings, monkeypatch) -> None:
    sweep, purge = Recorded(), Recorded()
    monkeypatch.setitem(celery_app.tasks, jobs.SWEEP, sweep)
    monkeypatch.setitem(celery_app.tasks, jobs.PURGE_EXPIRED, purge)
    settings.CELERY_BEAT_SCHEDULE = {
        "sweep": {"task": jobs.SWEEP, "schedule": 0.05},
        "purge": {"task": jobs.PURGE_EXPIRED, "schedule": 0.5},
    }
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(EmbeddedSweep(app=None).run_schedule(), timeout=0.8)
    # Each at the start, then on its own clock (a busy machine may fit in fewer runs, never more):
    # the purge at 0 and 0.5 s, so a demo restarted more often than hourly still purges.
    assert 5 <= sweep.runs <= 17
    assert purge.runs == 2


def test_beat_schedules_the_tasks_jobs_sends_by_name() -> None:
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {jobs.SWEEP, jobs.PURGE_EXPIRED}
    assert scheduled <= set(celery_app.tasks)
