import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50
FERNET_KEY = "q1bH0mWlOh9d9m8Qm1n8n5w0mJb0v8GkqfP2b1yqS0s="


def load_settings(
    code: str = "import config.settings",
    unset: tuple[str, ...] = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PRODUCTION"),
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with the test's environment less `unset` (names, or name
    prefixes ending in "_"), plus `env`: settings are read once per process."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not any(k == u or (u[-1] == "_" and k.startswith(u)) for u in unset)
    }
    return subprocess.run(
        [sys.executable, "-c", code],
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
    assert settings.DATABASES["default"]["ENGINE"] == "config.postgres"  # Django's, cheaper health check
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


# Redis Sentinel (README, "Redis high availability (Sentinel)"): one setting points every Redis client
# at the sentinels; without it nothing changes.
SENTINELS = "10.0.0.1:26379,10.0.0.2:26380,[::1]:26381"
SHOW_REDIS = (
    "import json, config.settings as s; print(json.dumps({'caches': s.CACHES, 'layers': s.CHANNEL_LAYERS, "
    "'broker': s.CELERY_BROKER_URL, 'transport': s.CELERY_BROKER_TRANSPORT, "
    "'options': getattr(s, 'CELERY_BROKER_TRANSPORT_OPTIONS', None)}))"
)


def redis_settings(**env: str) -> dict[str, Any]:
    result = load_settings(SHOW_REDIS, ("REDIS_",), **env)
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_without_sentinels_every_client_uses_redis_url_as_before():
    found = redis_settings(REDIS_URL="redis://:pw@redis.internal:6379/2")
    assert found["caches"] == {
        "default": {
            "BACKEND": "config.cache.SharedPoolRedisCache",
            "LOCATION": "redis://:pw@redis.internal:6379/2",
        }
    }
    assert found["layers"]["default"]["CONFIG"] == {"hosts": ["redis://:pw@redis.internal:6379/2"]}
    assert found["broker"] == "redis://:pw@redis.internal:6379/2"
    assert found["transport"] == "config.broker:Transport"
    assert found["options"] is None  # Celery's default


def test_with_sentinels_the_cache_finds_the_master_through_them():
    found = redis_settings(REDIS_URL="redis://:p%40ss@ignored/3", REDIS_SENTINELS=SENTINELS)
    cache = found["caches"]["default"]
    assert cache["BACKEND"] == "config.cache.SharedPoolRedisCache"
    assert cache["LOCATION"] == "redis://:p%40ss@ignored/3"  # the database number and the password
    assert cache["OPTIONS"]["sentinel"] == {
        "sentinels": [["10.0.0.1", 26379], ["10.0.0.2", 26380], ["::1", 26381]],
        "master_name": "helpline",
        "sentinel_kwargs": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
    }


def test_with_sentinels_the_channel_layer_is_given_channels_redis_sentinel_host():
    found = redis_settings(
        REDIS_URL="redis://:p%40ss@ignored/3",
        REDIS_SENTINELS=SENTINELS,
        REDIS_SENTINEL_MASTER="chat-master",
        REDIS_SENTINEL_PASSWORD="sentinel-secret",
    )
    layer = found["layers"]["default"]
    assert layer["BACKEND"] == "config.channel_layer.PubSubChannelLayer"
    assert layer["CONFIG"]["hosts"] == [
        {
            "sentinels": [["10.0.0.1", 26379], ["10.0.0.2", 26380], ["::1", 26381]],
            "master_name": "chat-master",
            "sentinel_kwargs": {
                "socket_timeout": 1.0,
                "socket_connect_timeout": 1.0,
                "password": "sentinel-secret",
            },
            "db": 3,
            "password": "p@ss",
        }
    ]


def test_with_sentinels_the_celery_broker_is_kombus_sentinel_transport_with_our_change():
    found = redis_settings(REDIS_URL="redis://:p%40ss@ignored/3", REDIS_SENTINELS=SENTINELS)
    assert found["broker"] == (
        "sentinel://:p%40ss@10.0.0.1:26379/3;sentinel://:p%40ss@10.0.0.2:26380/3;sentinel://:p%40ss@[::1]:26381/3"
    )
    assert found["transport"] == "config.broker:SentinelTransport"
    assert found["options"] == {
        "master_name": "helpline",
        "sentinel_kwargs": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
    }


def test_sentinels_alone_are_enough_database_zero_and_no_password():
    found = redis_settings(REDIS_SENTINELS="sentinel-a:26379")
    assert found["layers"]["default"]["CONFIG"]["hosts"][0]["db"] == 0
    assert "password" not in found["layers"]["default"]["CONFIG"]["hosts"][0]
    assert found["broker"] == "sentinel://sentinel-a:26379/0"
    assert found["caches"]["default"]["OPTIONS"]["sentinel"]["sentinels"] == [["sentinel-a", 26379]]


@pytest.mark.parametrize("value", ["sentinel-a", "sentinel-a:port", ":26379"])
def test_it_rejects_a_malformed_sentinel_list(value):
    result = load_settings(REDIS_SENTINELS=value)
    assert result.returncode != 0
    assert "REDIS_SENTINELS must be host:port pairs" in result.stderr


def test_the_sentinel_broker_transport_keeps_the_restart_fix():
    from kombu.transport import redis as kombu_redis

    from config import broker

    assert issubclass(broker.SentinelTransport, kombu_redis.SentinelTransport)
    channel = broker.SentinelTransport.Channel
    assert issubclass(channel, broker.Channel) and issubclass(channel, kombu_redis.SentinelChannel)
    assert channel._connparams is broker.Channel._connparams
