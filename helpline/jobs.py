"""Background work an action asks for, sent after its transaction commits.

The one bridge from actions to Celery. Tasks are sent by their registered names, so no action module
imports helpline.tasks (which imports the actions): there is no import cycle. A request within the
window of a pending one is folded into it, so a burst of changes becomes one run."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from config.cache import CACHE_DOWN
from config.celery import app as celery_app
from helpline.chat import queue_news

logger = logging.getLogger(__name__)

# The names helpline.tasks registers its shells under (and Celery beat schedules in settings).
ROUTE_WAITING_SEEKERS = "helpline.tasks.route_waiting_seekers"
PUBLISH_QUEUE_SNAPSHOT = "helpline.tasks.publish_queue_snapshot"
ROUTE_SECURE_THREADS = "helpline.tasks.route_secure_threads"
SWEEP = "helpline.tasks.sweep"
PURGE_EXPIRED = "helpline.tasks.purge_expired"

# Set while a run is pending; the run deletes it when it starts (see _request_coalesced).
ROUTING_PENDING_KEY = "helpline:routing-pending"
SECURE_ROUTING_PENDING_KEY = "helpline:secure-routing-pending"


def _send(task_name: str, countdown: float = 0) -> None:
    # By name through the project's app (not celery.current_app, which is per thread and falls back
    # to an unconfigured default in a server's worker threads): in the embedded site (eager Celery)
    # the task runs here and now, in production it is queued for a worker.
    celery_app.tasks[task_name].apply_async(countdown=countdown)


def _request_coalesced(pending_key: str, task_name: str) -> None:
    """After commit, queue the task unless a run is already pending; the run deletes `pending_key` when
    it starts, so requests that arrive while it works lead to exactly one more run."""

    def enqueue() -> None:
        try:
            first = cache.add(pending_key, 1, timeout=5)
        except CACHE_DOWN:
            # Redis is down, and Celery's broker with it: the sweep beat runs every few seconds does
            # this run's work once Redis is back. The change itself is committed; nobody is failed.
            logger.warning("Could not ask for %s: Redis is not answering", task_name)
            return
        if first:
            _send(task_name)

    transaction.on_commit(enqueue)


def request_routing() -> None:
    """The queue or a staff member's room changed: offer waiting chats to free staff soon."""
    _request_coalesced(ROUTING_PENDING_KEY, ROUTE_WAITING_SEEKERS)


def request_secure_routing() -> None:
    """Offer waiting threads to staff on duty soon; a burst of new messages becomes one run."""
    _request_coalesced(SECURE_ROUTING_PENDING_KEY, ROUTE_SECURE_THREADS)


def request_queue_news() -> None:
    """The queue changed: tell everyone where it stands now if nobody was told in the last
    QUEUE_NEWS_SECONDS, otherwise once at the end of that window. In a surge each offer moves every
    waiting seeker up one place; a frame to each of thousands of sockets per offer froze the service,
    while a place that is a second old is still right for the person reading it."""
    interval = settings.HELPLINE["QUEUE_NEWS_SECONDS"]
    try:
        if cache.add(queue_news.QUEUE_NEWS_RECENT_KEY, 1, timeout=interval):
            queue_news.publish_queue_snapshot()
        elif cache.add(queue_news.QUEUE_NEWS_PENDING_KEY, 1, timeout=interval + 60):
            _send(PUBLISH_QUEUE_SNAPSHOT, countdown=interval)
    except CACHE_DOWN:  # as above: waiting pages read their place from the database meanwhile
        logger.warning("Could not publish queue news: Redis is not answering")
