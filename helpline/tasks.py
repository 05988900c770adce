"""Celery tasks: thin shells over helpline.actions. They carry no arguments about anyone.

Each sends the events its action published in one go at the end (helpline.events.sent_together).
"""

from celery import shared_task

from helpline import actions
from helpline.events import sent_together


@shared_task(name="helpline.tasks.route_waiting_seekers")
def route_waiting_seekers() -> int:
    with sent_together():
        return len(actions.route_waiting_seekers())


@shared_task(name="helpline.tasks.publish_queue_snapshot")
def publish_queue_snapshot() -> None:
    with sent_together():
        actions.publish_queue_snapshot()


@shared_task(name="helpline.tasks.sweep")
def sweep() -> dict[str, int]:
    with sent_together():
        return actions.sweep()


@shared_task(name="helpline.tasks.route_secure_threads")
def route_secure_threads() -> int:
    with sent_together():
        return len(actions.route_secure_threads())


@shared_task(name="helpline.tasks.purge_expired")
def purge_expired() -> dict[str, int]:
    with sent_together():
        return actions.purge_expired()
