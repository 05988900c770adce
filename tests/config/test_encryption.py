import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from config import encryption
from helpline.models import ChatSession, Message, hash_token

pytestmark = pytest.mark.django_db

SECRET_TEXT = "I have been having thoughts that frighten me"


def stored_body(message_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM helpline_message WHERE id = %s", [message_id])
        return cursor.fetchone()[0]


@pytest.fixture
def message():
    chat = ChatSession.objects.create(token_hash=hash_token("t"))
    return Message.objects.create(session=chat, seq=1, sender=Message.Sender.SEEKER, body=SECRET_TEXT)


@pytest.fixture
def keys(settings):
    def use(*new_keys: str) -> None:
        settings.ENCRYPTION_KEYS = list(new_keys)
        encryption.reset_key_cache()

    yield use
    encryption.reset_key_cache()


def test_message_text_is_unreadable_in_the_database(message):
    raw = stored_body(message.id)
    assert raw.startswith(encryption.PREFIX)
    assert SECRET_TEXT not in raw
    assert "frighten" not in raw
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT


def test_rotation_moves_rows_to_the_new_key_and_the_old_key_can_go(message, settings, keys):
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    keys(new, old)
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT  # old rows still read
    call_command("rotate_encryption_keys", verbosity=0)
    keys(new)
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT
    keys(Fernet.generate_key().decode())
    with pytest.raises(Exception, match="cannot be decrypted"):
        Message.objects.get(pk=message.pk)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        ("config.encryption.local_key_file", "encryption.key"),
        ("helpline.inbox.passphrases.local_secret_file", "passphrase.secret"),
    ],
)
def test_processes_starting_together_share_one_local_secret(tmp_path, make, name):
    """A worker and beat started at once both create the embedded secrets: one wins, none fails."""
    from concurrent.futures import ProcessPoolExecutor

    from django.utils.module_loading import import_string

    for attempt in range(10):
        var_dir = tmp_path / str(attempt)
        var_dir.mkdir()
        with ProcessPoolExecutor(6) as pool:
            secrets = set(pool.map(import_string(make), [var_dir] * 6))
        assert len(secrets) == 1
        assert [p.name for p in var_dir.iterdir()] == [name]
