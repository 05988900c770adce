import logging

import pytest
from django.core import mail
from django.test import RequestFactory

from config import privacy
from tests.conftest import CANARY_ADDRESS, CANARY_META, CANARY_USER_AGENT
from tests.privacy_audit import cache_text, database_text, find_canary


@pytest.mark.urls("tests.config.urls_for_errors")
def test_views_never_see_the_address_or_user_agent(canary_client):
    response = canary_client.get("/test-echo-meta/")
    assert find_canary(response.content.decode()) == []
    assert "HELPLINE_RATE_KEY=" in response.content.decode()


def test_rate_key_groups_a_network_prefix_and_is_not_a_plain_hash():
    same_household = privacy.rate_key_for_address("203.0.113.77")
    assert privacy.rate_key_for_address("203.0.113.5") == same_household
    assert privacy.rate_key_for_address("198.51.100.77") != same_household
    assert find_canary(same_household) == []
    v6 = privacy.rate_key_for_address("2001:db8:aa:bb01::1")
    assert privacy.rate_key_for_address("2001:db8:aa:bbff::2") == v6


def test_rate_key_changes_when_the_daily_secret_is_gone():
    before = privacy.rate_key_for_address(CANARY_ADDRESS)
    privacy._secret_memo.clear()
    from django.core.cache import cache

    cache.clear()
    assert privacy.rate_key_for_address(CANARY_ADDRESS) != before


def test_during_a_redis_outage_a_process_keys_limits_with_its_own_secret_until_redis_returns(monkeypatch):
    """Every request passes the rate key: without Redis, a process with no day's secret yet answered
    500 to everyone. Now it uses one of its own meanwhile, steady for the outage and never stored, and
    takes the shared one as soon as Redis answers again."""
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def refused(*args: object, **kwargs: object) -> None:
        raise RedisConnectionError("Error 111 connecting to Redis. Connection refused.")

    privacy._secret_memo.clear()
    with monkeypatch.context() as outage:
        for name in ("add", "get"):
            outage.setattr(cache, name, refused)
        during = privacy.rate_key_for_address(CANARY_ADDRESS)
        assert privacy.rate_key_for_address(CANARY_ADDRESS) == during
    assert privacy._secret_memo == {}  # the outage's secret was never taken as the day's
    after = privacy.rate_key_for_address(CANARY_ADDRESS)
    assert privacy._secret_memo and after != during
    assert privacy.rate_key_for_address(CANARY_ADDRESS) == after


def test_daily_secret_lives_in_the_cache_with_a_time_to_live(settings):
    from django.core.cache import cache

    privacy._secret_memo.clear()
    privacy.rate_key_for_address(CANARY_ADDRESS)
    backend = cache._cache  # type: ignore[attr-defined]
    client = backend.get_client(write=False)
    keys = [k for k in client.scan_iter("*privacy:rate-secret:*")]
    assert len(keys) == 1
    ttl = client.ttl(keys[0])
    assert 0 < ttl <= settings.RATE_KEY_SECRET_TTL


async def test_asgi_wrapper_strips_client_and_identifying_headers():
    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)

    app = privacy.StripClientIdentityASGI(inner)
    scope = {
        "type": "http",
        "client": (CANARY_ADDRESS, 51234),
        "headers": [
            (b"host", b"testserver"),
            (b"user-agent", CANARY_USER_AGENT.encode()),
            (b"x-forwarded-for", CANARY_ADDRESS.encode()),
            (b"x-real-ip", CANARY_ADDRESS.encode()),
        ],
    }
    await app(scope, None, None)
    assert seen["client"] is None
    assert seen["headers"] == [(b"host", b"testserver")]
    assert find_canary(repr(seen)) == []
    assert seen[privacy.RATE_KEY_SCOPE] != privacy.ANONYMOUS_RATE_KEY


async def test_asgi_wrapper_strips_websocket_scopes_too():
    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)

    await privacy.StripClientIdentityASGI(inner)(
        {"type": "websocket", "client": (CANARY_ADDRESS, 1), "headers": [(b"user-agent", b"x")]}, None, None
    )
    assert seen["client"] is None
    assert seen["headers"] == []


def test_wsgi_wrapper_strips_the_environ():
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        return []

    privacy.StripClientIdentityWSGI(inner)({**CANARY_META, "PATH_INFO": "/"}, lambda *args: None)
    assert find_canary(repr(seen)) == []
    assert privacy.RATE_KEY_META in seen


def test_log_filter_removes_addresses_and_the_attached_request(caplog):
    logger = logging.getLogger("helpline.test")
    request = RequestFactory().get("/", headers={"User-Agent": CANARY_USER_AGENT}, REMOTE_ADDR=CANARY_ADDRESS)
    record = logger.makeRecord(
        "helpline.test", logging.WARNING, __file__, 1, "seen %s and ::ffff:10.0.0.1", (CANARY_ADDRESS,), None
    )
    record.request = request
    assert privacy.ClientIdentityLogFilter().filter(record)
    assert record.request is None  # type: ignore[attr-defined]
    assert CANARY_ADDRESS not in record.getMessage()
    assert "10.0.0.1" not in record.getMessage()
    assert privacy.REDACTED in record.getMessage()


@pytest.mark.django_db
@pytest.mark.urls("tests.config.urls_for_errors")
def test_error_mail_carries_no_client_data(canary_client, settings):
    settings.ADMINS = [("Operator", "ops@example.org")]
    canary_client.raise_request_exception = False
    response = canary_client.get("/test-broken/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    body = message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
    assert "deliberate failure" in body  # the report is still useful to the operator
    assert find_canary(body) == []


@pytest.mark.django_db
@pytest.mark.urls("tests.config.urls_for_errors")
def test_a_visit_leaves_no_identity_in_database_cache_or_logs(canary_client, caplog, django_user_model):
    caplog.set_level(logging.DEBUG)
    django_user_model.objects.create_user("staffer", password="a-long-enough-password")
    canary_client.raise_request_exception = False
    for url in ["/en/", "/en/browse-safely/", "/no-such-page/", "/test-broken/", "/staff/login/"]:
        canary_client.get(url)
    canary_client.post("/staff/login/", {"username": "staffer", "password": "wrong password"})
    canary_client.post("/staff/login/", {"username": "staffer", "password": "a-long-enough-password"})
    canary_client.get("/admin/")

    assert find_canary(database_text()) == []
    assert find_canary(cache_text()) == []
    logged = "\n".join(r.getMessage() + repr(getattr(r, "request", "")) for r in caplog.records)
    assert logged  # the visit did log (a 404 and a 500), so the check below is meaningful
    assert find_canary(logged) == []


def test_exception_reporter_leaves_out_the_request():
    request = RequestFactory().get("/", headers={"User-Agent": CANARY_USER_AGENT}, REMOTE_ADDR=CANARY_ADDRESS)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        reporter = privacy.ClientlessExceptionReporter(request, type(error), error, error.__traceback__)
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "boom" in text
    assert find_canary(text) == []
