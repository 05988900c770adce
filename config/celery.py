"""Celery application. Tasks carry only opaque ids; nothing about a seeker travels in a message."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("helpline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
