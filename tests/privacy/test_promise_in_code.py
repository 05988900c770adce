"""The promise written into the code's shape: no place to store an identity, no server that logs one,
and a staff lockout that works without knowing anyone's address."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("resources", "helpline")
IDENTITY_NAME = re.compile(
    r"(^|_)(ip|ips|ipaddr|ip_address|address|addr|remote|user_agent|useragent|agent|forwarded|client_ip|host)($|_)"
)


def test_no_model_of_ours_has_a_field_for_an_address_or_user_agent():
    offending = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.GenericIPAddressField) or IDENTITY_NAME.search(field.name.lower()):
                offending.append(f"{model._meta.label}.{field.name}")
    assert offending == []


def test_django_axes_never_writes_its_address_tables():
    # axes ships models with address and user-agent columns; the cache handler never touches them.
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.privacy.no_client_ip"


def documented_commands() -> list[str]:
    lines = []
    for path in [ROOT / "README.md", ROOT / "Makefile", *sorted((ROOT / "docs").glob("*.md"))]:
        if not path.exists():
            continue
        text = path.read_text().replace("\\\n", " ")
        lines += [
            line.strip() for line in text.splitlines() if re.search(r"\b(uvicorn|daphne|gunicorn)\b", line)
        ]
    return [line for line in lines if re.search(r"(uvicorn|daphne|gunicorn)\s+\S+:\S+", line)]


def test_every_documented_server_command_has_its_access_log_off():
    commands = documented_commands()
    assert commands, "the README and Makefile document how to run the server"
    for command in commands:
        if "uvicorn" in command:
            assert "--no-access-log" in command, command
        else:
            pytest.fail(f"only uvicorn (with --no-access-log) is documented for serving: {command}")
    for command in commands:
        assert "--log-level debug" not in command, "debug logs dump request headers"


def test_the_dev_server_is_not_how_we_run_the_site():
    makefile = (ROOT / "Makefile").read_text()
    assert "runserver" not in makefile


def test_logging_never_lets_a_server_log_bypass_the_filter():
    logging_config: dict[str, Any] = settings.LOGGING
    loggers = logging_config["loggers"]
    assert loggers["uvicorn.access"]["handlers"] == []
    for name in ("uvicorn", "uvicorn.error", "django"):
        assert loggers[name]["propagate"] is False
        for handler in loggers[name]["handlers"]:
            assert "no_client_identity" in logging_config["handlers"][handler]["filters"]


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(make_staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff("sam")
    client = Client()
    for _ in range(3):
        client.post(reverse("staff-login"), {"username": "sam", "password": "not it"})
    locked = client.post(reverse("staff-login"), {"username": "sam", "password": "a-long-test-password"})
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    # Locked by username, not by address: another device is refused too.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert (
        elsewhere.post(
            reverse("staff-login"), {"username": "sam", "password": "a-long-test-password"}
        ).status_code
        == 429
    )


@pytest.mark.django_db
def test_an_admin_can_unlock_a_locked_account(make_staff, settings, django_user_model):
    settings.AXES_FAILURE_LIMIT = 2
    sam = make_staff("sam")
    for _ in range(2):
        Client().post(reverse("staff-login"), {"username": "sam", "password": "not it"})
    admin_user = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [sam.user.pk]},
        follow=True,
    )
    assert "Sign-in unlocked" in response.content.decode()
    after = Client().post(reverse("staff-login"), {"username": "sam", "password": "a-long-test-password"})
    assert after.status_code == 302
