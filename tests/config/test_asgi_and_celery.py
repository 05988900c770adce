"""The ASGI entry point serves pages and answers the lifespan protocol; Celery is wired to settings."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import HttpCommunicator

from config.asgi import application
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
async def test_asgi_serves_a_page_with_security_headers():
    communicator = HttpCommunicator(
        application, "GET", "/en/browse-safely/", headers=[(b"host", b"testserver"), (b"user-agent", b"x")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 200
    headers = dict(response["headers"])
    assert headers[b"Referrer-Policy"] == b"same-origin"
    assert b"Quick exit" in response["body"]


async def test_asgi_answers_the_lifespan_protocol():
    sent = []
    messages: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})
    await messages.put({"type": "lifespan.shutdown"})

    async def send(message):
        sent.append(message["type"])

    await asyncio.wait_for(application({"type": "lifespan"}, messages.get, send), timeout=5)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_celery_reads_its_configuration_from_django_settings(settings):
    celery_app.loader.import_default_modules()  # what a worker does at start: find every tasks module
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert celery_app.conf.task_serializer == "json"
    assert "helpline.tasks.sweep" in celery_app.conf.beat_schedule["helpline-sweep"]["task"]
    assert "helpline.tasks.route_waiting_seekers" in celery_app.tasks


def test_embedded_mode_runs_tasks_inline_with_no_broker():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    script = (
        "import django; django.setup(); from config.celery import app; from django.conf import settings; "
        "layer = settings.CHANNEL_LAYERS['default']['BACKEND']; "
        "print(app.conf.task_always_eager, app.conf.broker_url, layer)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["True", "memory://", "channels.layers.InMemoryChannelLayer"]


def test_every_task_takes_no_arguments_about_anyone():
    import inspect

    celery_app.loader.import_default_modules()
    assert any(name.startswith("helpline.") for name in celery_app.tasks)
    for name, task in celery_app.tasks.items():
        if name.startswith(("helpline.", "resources.")):
            assert list(inspect.signature(task.run).parameters) == [], name
