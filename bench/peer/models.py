from __future__ import annotations

from django.db import models


class Message(models.Model):
    """One chat message, stored as the tutorial's reader would add persistence: plain columns."""

    room = models.CharField(max_length=100, db_index=True)  # a room's history is read by room
    sender = models.CharField(max_length=50)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    # Declared, not implied: the type checker runs under the project's settings, where this app is
    # not installed.
    objects: models.Manager[Message] = models.Manager()

    class Meta:
        app_label = "bench_peer"

    def __str__(self) -> str:
        return f"{self.room}: {self.sender}"
