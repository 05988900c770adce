"""Celery tasks: thin shells over helpline.actions. They carry no arguments about anyone."""

from celery import shared_task

from helpline import actions


@shared_task(name="helpline.tasks.route_waiting_seekers")
def route_waiting_seekers() -> int:
    return len(actions.route_waiting_seekers())


@shared_task(name="helpline.tasks.publish_queue_snapshot")
def publish_queue_snapshot() -> None:
    actions.publish_queue_snapshot()


@shared_task(name="helpline.tasks.sweep")
def sweep() -> dict[str, int]:
    return actions.sweep()


@shared_task(name="helpline.tasks.route_secure_threads")
def route_secure_threads() -> int:
    return len(actions.route_secure_threads())


@shared_task(name="helpline.tasks.purge_expired")
def purge_expired() -> dict[str, int]:
    return actions.purge_expired()
