import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50
FERNET_KEY = "q1bH0mWlOh9d9m8Qm1n8n5w0mJb0v8GkqfP2b1yqS0s="


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PRODUCTION")
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_embedded_default_loads_with_no_variables():
    assert load_settings().returncode == 0


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DEBUG": "1", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org"}, "DEBUG is on"),
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY is the embedded default"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org"}, "ENCRYPTION_KEYS is empty"),
    ],
)
def test_production_refuses_unsafe_configuration_and_says_which(env, complaint):
    result = load_settings(PRODUCTION="1", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_when_configured_safely():
    result = load_settings(
        PRODUCTION="1",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
        ENCRYPTION_KEYS=FERNET_KEY,
        PASSPHRASE_SECRET="p" * 40,
    )
    assert result.returncode == 0, result.stderr


def test_it_rejects_a_malformed_boolean():
    result = load_settings(DEBUG="perhaps")
    assert "DEBUG must be a yes/no value" in result.stderr


def test_test_suite_runs_on_postgresql_and_redis(settings):
    # `make test` promises real services; catch a run that silently fell back to the embedded ones.
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.SharedPoolRedisCache"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "config.channel_layer.PubSubChannelLayer"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


# The project's own apps: settings are read before any of them may be imported (the app registry,
# models and anything that reads settings at import time), and the apps are split by domain.
PROJECT_APPS = ("helpline", "resources")


def test_settings_name_no_app_module_in_their_imports():
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert [name for name in imported if name.split(".")[0] in PROJECT_APPS] == []


def test_loading_settings_loads_no_app_module_even_when_making_the_embedded_secrets(tmp_path):
    """Indirect imports count too, and the embedded site's first start makes its local key and
    passphrase secret while the settings load."""
    clean = {
        k: v for k, v in os.environ.items() if k not in ("PRODUCTION", "ENCRYPTION_KEYS", "PASSPHRASE_SECRET")
    }
    code = "import sys, config.settings; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded = result.stdout.split()
    assert "config.settings" in loaded
    assert [name for name in loaded if name.split(".")[0] in PROJECT_APPS] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encryption.key", "passphrase.secret"]
