"""Celery tasks: thin shells over the rooms' actions, registered under the names helpline.jobs sends.
They carry no arguments about anyone.

Each sends the events its action published in one go at the end (helpline.events.sent_together).
"""

from celery import shared_task

from helpline import jobs, retention
from helpline.chat import actions as chat_actions
from helpline.chat import queue_news
from helpline.events import sent_together
from helpline.inbox import actions as inbox_actions


@shared_task(name=jobs.ROUTE_WAITING_SEEKERS)
def route_waiting_seekers() -> int:
    with sent_together():
        return len(chat_actions.do_route_waiting_seekers())


@shared_task(name=jobs.PUBLISH_QUEUE_SNAPSHOT)
def publish_queue_snapshot() -> None:
    with sent_together():
        queue_news.publish_queue_snapshot()


@shared_task(name=jobs.SWEEP)
def sweep() -> dict[str, int]:
    with sent_together():
        return chat_actions.sweep()


@shared_task(name=jobs.ROUTE_SECURE_THREADS)
def route_secure_threads() -> int:
    with sent_together():
        return len(inbox_actions.do_route_secure_threads())


@shared_task(name=jobs.PURGE_EXPIRED)
def purge_expired() -> dict[str, int]:
    with sent_together():
        return retention.purge_expired()
