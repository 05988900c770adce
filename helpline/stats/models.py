"""Daily counts: the only figures the service keeps, and what outlives the retention purge."""

from __future__ import annotations

from django.db import models


class DailyCount(models.Model):
    """One named counter for one service day ("chats.answered" on 2026-11-23). Only counts: nothing here
    can be traced to a person, and these rows are what outlives the retention purge.

    Named counters rather than a wide row with a column each: wrap-up categories come and go with the
    choices staff use, and a new one must not need a migration to be counted."""

    day = models.DateField()
    name = models.CharField(max_length=80)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "name"], name="daily_count_once")]
        ordering = ["day", "name"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}: {self.value}"
