import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

# A distinctive client identity. Privacy tests look for these everywhere afterwards.
CANARY_ADDRESS = "203.0.113.77"
CANARY_USER_AGENT = "CanaryBrowser/7.7 (privacy-test; x77)"
CANARY_META = {
    "REMOTE_ADDR": CANARY_ADDRESS,
    "HTTP_USER_AGENT": CANARY_USER_AGENT,
    "HTTP_X_FORWARDED_FOR": CANARY_ADDRESS,
    "HTTP_X_REAL_IP": CANARY_ADDRESS,
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (Redis under `make test`)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def canary_client(client):
    """A test client whose every request carries the canary address and user agent."""
    client.defaults.update(CANARY_META)
    return client


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """In tests, `force_login` signs someone in as fully as a person who also passed their second
    factor. Tests of the second factor itself sign in through the real pages instead."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request under /nl/ (or a staff page in Arabic) leaves its language active in the thread that ran
    it: LocaleMiddleware does not undo it. Put the default back, so no test reads another's language."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
